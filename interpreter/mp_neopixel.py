"""`neopixel`, the module rp2 and esp32 firmware freeze in (micropython-lib's
neopixel.py): NeoPixel(pin, n, bpp=3, timing=1) keeps the colours in the
strip's byte order (GRB, or GRBW with bpp=4) and write() sends them with
machine.bitstream.
"""

import types

ORDER = (1, 0, 2, 3)        # (r, g, b, w) -> offset in a pixel's bytes: G R B W
TIMING_800KHZ = (400, 850, 800, 450)
TIMING_400KHZ = (800, 1700, 1600, 900)


def make_module(vm):
    machine = vm.import_("machine")
    module = types.ModuleType("neopixel")

    class NeoPixel:
        ORDER = ORDER

        def __init__(self, pin, n, bpp=3, timing=1):
            self.pin = pin
            self.n = n
            self.bpp = bpp
            self.buf = bytearray(n * bpp)
            pin.init(pin.OUT)
            if isinstance(timing, int):
                self.timing = TIMING_800KHZ if timing else TIMING_400KHZ
            else:
                self.timing = timing

        def __len__(self):
            return self.n

        def __setitem__(self, index, colour):
            base = index * self.bpp
            if index < 0:
                base += len(self.buf)
            for channel in range(self.bpp):
                self.buf[base + ORDER[channel]] = colour[channel]

        def __getitem__(self, index):
            base = index * self.bpp
            if index < 0:
                base += len(self.buf)
            return tuple(self.buf[base + ORDER[channel]] for channel in range(self.bpp))

        def fill(self, colour):
            for index in range(self.n):
                self[index] = colour

        def write(self):
            machine.bitstream(self.pin, 0, self.timing, self.buf)

    NeoPixel.__module__ = "neopixel"
    module.NeoPixel = NeoPixel
    return module
