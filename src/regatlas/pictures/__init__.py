"""Pictures made offline with matplotlib: each function writes `<stem>.png` and `<stem>.svg`.

The output is deterministic: fixed sizes for a given input, DejaVu Sans (shipped with matplotlib),
no dates in the files.
"""

from .alignment import alignment_heatmap
from .themes import theme_heatmap
from .timeline import timeline
from .worldmap import world_map

__all__ = ["alignment_heatmap", "theme_heatmap", "timeline", "world_map"]
