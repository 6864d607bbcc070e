"""The Jupyter kernel: cells run on a MicroPython board (see kernel.py)."""
