"""The learned part of the officer side: a calibrated model of practice over
the precedent library (examples.py -> features.py -> model.py), trained when
the index is built and cached with it (cache.py)."""
