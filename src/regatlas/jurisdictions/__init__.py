"""Jurisdictions: ISO 3166-1/-2 (via pycountry), cities, unions with dated membership."""
