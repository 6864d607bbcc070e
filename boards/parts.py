"""Simulated parts wired to a simulated board, and their host API.

`board.parts` maps a name to a part. Every part has `.name`, `.kind`,
`.label` (what a widget shows: "Push button on GP14") and `.pin` (the GPIO
it is wired to, or None), and `watch(callback)`: `callback(part)` is called
after the part's state changed: the board refreshed a display or wrote
pixels (in its CPU thread), the host pressed or released a button or set a
slider (in the thread that did). It must be quick.

Parts are outside the chip: a soft or hard reset of the board leaves them
as they are (a button held down stays pressed, its pin low).

kind "button"   `press()`, `release()`, `.pressed`: the button stays pressed
                until released. Pressed pulls the pin low (use Pin.PULL_UP);
                each press and release bounces: 2-4
                extra edges within 1-5 ms of board time, from a seeded
                generator, so IRQ handlers see what they would see on a
                breadboard.
kind "slider"   `.value` (float, settable from any thread, clamped to the
                range), `.minimum`, `.maximum`, `.step`, `.unit`. Running board
                code sees a new value at its next reading.
kind "display"  an SSD1306 OLED (i2c_parts.py): `.framebuffer`, `.pixels`.
kind "pixels"   a NeoPixel (WS2812) strip: `.pixels`, a list of (r, g, b).

Parts know the board only through what they use: `board.clock`,
`board.timeline`, `board.gpio`, `board.peripherals`, `board.noise`
(seeded noise, drawn only in the board's CPU thread) and `board.seed`.
"""

import random
import threading

HOST = "host"       # timeline owner of events the host starts (never dropped by resets)


class Part:
    kind = "part"

    def __init__(self, board, name, label, pin=None):
        self.board = board
        self.name = name
        self.label = label
        self.pin = pin
        self.watchers = []

    def watch(self, callback):
        self.watchers.append(callback)
        return callback

    def unwatch(self, callback):
        if callback in self.watchers:
            self.watchers.remove(callback)

    def changed(self):
        for watcher in list(self.watchers):
            watcher(self)

    def _rng(self):
        """A generator of the part's own, seeded from the board's seed."""
        seed = self.board.seed
        return random.Random(f"{self.name}-{seed}") if seed is not None else random.Random()

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r}: {self.label}>"


class Button(Part):
    """A push button between a GPIO and ground."""

    kind = "button"
    BOUNCE_NS = (1_000_000, 5_000_000)

    def __init__(self, board, pin, name="button", label=None, bounce=True, released=None):
        """`released`: the level the wiring gives the pin while the button is
        up: None (floating: the pin's pull decides) or 1 (an external pull-up,
        as on the ESP32 DevKit's BOOT button)."""
        super().__init__(board, name, label or f"Push button on GPIO{pin}", pin)
        self.bounce = bounce
        self.released = released
        if released is not None:
            board.gpio[pin].external = released
        self._pressed = False
        self._lock = threading.Lock()
        self._events = []
        self._random = self._rng()

    @property
    def pressed(self):
        return self._pressed

    def press(self):
        self._set(True)

    def release(self):
        self._set(False)

    def _set(self, pressed):
        timeline = self.board.timeline
        with self._lock:
            if pressed == self._pressed:
                return
            self._pressed = pressed
            for event in self._events:
                event.cancel()
            settled = 0 if pressed else self.released
            other = self.released if pressed else 0
            t = self.board.clock.peek_ns()
            edges = [(t, settled)]
            if self.bounce:
                span = self._random.randint(*self.BOUNCE_NS)
                flips = 2 * self._random.randint(1, 2)
                times = sorted(self._random.randint(span // 10, span) for _ in range(flips))
                for i, when in enumerate(times):
                    edges.append((t + when, other if i % 2 == 0 else settled))
            pin = self.board.gpio[self.pin]
            self._events = [timeline.at(when, lambda level=level: pin.drive(level), HOST)
                            for when, level in edges]
        self.changed()


class Slider(Part):
    """A value the host sets: a knob, a sensor's environment."""

    kind = "slider"

    def __init__(self, board, name, label, minimum, maximum, step, unit, value, pin=None):
        super().__init__(board, name, label, pin)
        self.minimum, self.maximum, self.step, self.unit = minimum, maximum, step, unit
        self._value = float(value)

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, value):
        value = float(min(self.maximum, max(self.minimum, float(value))))
        if value != self._value:
            self._value = value
            self.changed()


class Potentiometer(Slider):
    """A 10 kOhm knob between 3V3 and ground, its wiper on an ADC pin.
    `.value` is the knob's position in percent."""

    def __init__(self, board, pin, name="potentiometer", label=None, value=50.0):
        super().__init__(board, name, label or f"Potentiometer on GPIO{pin}",
                         0.0, 100.0, 1.0, "%", value, pin)
        board.peripherals.attach_analog(pin, self.volts)

    def volts(self):
        return self._value / 100.0 * self.board.definition.adc_vref


class NeoPixels(Part):
    """A strip of WS2812 LEDs on one GPIO, fed by `machine.bitstream` (what
    the neopixel module uses). Colours arrive in the strip's GRB order;
    `.pixels` gives them as (r, g, b)."""

    kind = "pixels"

    def __init__(self, board, pin, count=8, name="neopixels", label=None):
        super().__init__(board, name, label or f"{count} NeoPixels on GPIO{pin}", pin)
        self.count = count
        self._pixels = [(0, 0, 0)] * count
        board.peripherals.attach_bitstream(pin, self.receive)

    @property
    def pixels(self):
        return list(self._pixels)

    def receive(self, data):
        pixels = list(self._pixels)
        for i in range(min(self.count, len(data) // 3)):
            g, r, b = data[3 * i: 3 * i + 3]
            pixels[i] = (r, g, b)
        self._pixels = pixels
        self.changed()


class TouchPad(Part):
    """A touch electrode on an ESP32 touch pin: kind "button" (press() is a
    finger on it). TouchPad.read() falls from about 600 to under 100."""

    kind = "button"

    def __init__(self, board, pin, name="touch", label=None):
        super().__init__(board, name, label or f"Touch pad on GPIO{pin}", pin)
        self._pressed = False
        board.peripherals.attach_touch(pin, lambda: self._pressed)

    @property
    def pressed(self):
        return self._pressed

    def press(self):
        self._set(True)

    def release(self):
        self._set(False)

    def _set(self, pressed):
        if pressed != self._pressed:
            self._pressed = pressed
            self.changed()
