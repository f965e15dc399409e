"""As-of selection, the explaining three-valued evaluator, fast closures, and assessment."""
