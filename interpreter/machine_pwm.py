"""machine.PWM, as each port computes it.

rp2 (ports/rp2/machine_pwm.c): 8 slices of 2 channels; GPIO n drives slice
(n >> 1) & 7, channel n & 1, so GP0 and GP16 share one output and the two
channels of a slice share one frequency. The divider and TOP are chosen as
the port does, so freq(), duty_u16() and duty_ns() read back the values a
Pico gives (rounded to the hardware's steps). A slice starts once it has a
frequency and a duty; deinit() stops the whole slice. Errors: `freq too
large`, `freq too small`, `duty larger than period`.

esp32 (ports/esp32/machine_pwm.c, LEDC): PWM(pin, freq=5000, duty=...) with
duty in 10 bits (0..1023), duty_u16 and duty_ns.

A running PWM shows in the pin's state as `pwm`, the fraction of the period
the output is high (after invert); None when stopped.
"""

from . import gpio as _gpio

TOP_MAX = 65534
_NOT_SET, _U16, _NS = 0, 1, 2


def make_pwm_class(vm, Pin):
    if vm.board.definition.port == "esp32":
        return _esp32_pwm(vm.board, Pin)
    return _rp2_pwm(vm.board, Pin)


def _show(board, gpios, fraction):
    """Put a PWM output (or None: stopped) on the pins it drives."""
    bank = board.gpio
    for gpio in gpios:
        state = bank[gpio]
        if state.mode != _gpio.ALT or state.alt != "PWM":
            continue
        if state.pwm != fraction:
            bank.change(state, lambda state=state: setattr(state, "pwm", fraction))
            bank.notify(state)


def _rp2_pwm(board, Pin):
    hw = board.peripherals.pwm      # cleared by a soft reset, as machine_pwm_deinit_all does
    bank = board.gpio

    def source_hz():
        return board.peripherals.cpu_freq

    def slice_hz(offset, div16):
        return (16 * source_hz() + offset) // div16

    def slice_state(number):
        return hw.setdefault(("slice", number), {"div16": 16, "top": 0xFFFF, "freq_set": False,
                                                 "enabled": False})

    def channel_state(number, channel):
        return hw.setdefault(("channel", number, channel), {"cc": 0, "duty_type": _NOT_SET,
                                                            "duty": 0, "invert": 0, "gpios": set()})

    objects = {}

    class PWM:
        def __new__(cls, pin, *args, **kwargs):
            gpio = Pin._find(pin)
            key = ((gpio >> 1) & 7, gpio & 1)
            self = objects.get(key)
            if self is None:
                self = objects[key] = object.__new__(cls)
                self._slice, self._channel = key
            self._gpio = gpio
            return self

        def __init__(self, pin, freq=-1, *, duty_u16=-1, duty_ns=-1, invert=-1):
            ch = channel_state(self._slice, self._channel)
            ch["invert"] = 0
            ch["duty_type"] = _NOT_SET
            ch["gpios"].add(self._gpio)
            state = bank[self._gpio]
            bank.change(state, lambda: (setattr(state, "mode", _gpio.ALT), setattr(state, "alt", "PWM")))
            self.init(freq, duty_u16=duty_u16, duty_ns=duty_ns, invert=invert)

        def init(self, freq=-1, *, duty_u16=-1, duty_ns=-1, invert=-1):
            self._defer = True
            try:
                if freq != -1:
                    self._set_freq(freq)
                if duty_u16 != -1:
                    self._set_u16(duty_u16)
                if duty_ns != -1:
                    self._set_ns(duty_ns)
                if invert != -1:
                    channel_state(self._slice, self._channel)["invert"] = int(bool(invert))
            finally:
                self._defer = False
            self._start()

        def deinit(self):
            slice_state(self._slice)["enabled"] = False
            self._refresh_slice()

        def freq(self, value=None):
            if value is None:
                s = slice_state(self._slice)
                return slice_hz(s["div16"] * (s["top"] + 1) // 2, s["div16"] * (s["top"] + 1))
            self._set_freq(int(value))
            self._start()

        def duty_u16(self, value=None):
            if value is None:
                s = slice_state(self._slice)
                cc = channel_state(self._slice, self._channel)["cc"]
                return (cc * 65535 + (s["top"] + 1) // 2) // (s["top"] + 1)
            self._set_u16(int(value))

        def duty_ns(self, value=None):
            if value is None:
                s = slice_state(self._slice)
                hz = slice_hz(s["div16"] // 2, s["div16"])
                cc = channel_state(self._slice, self._channel)["cc"]
                return (cc * 1_000_000_000 + hz // 2) // hz
            self._set_ns(int(value))

        def _set_freq(self, freq):
            src = source_hz()
            if freq <= 0:
                raise ValueError("freq too small")
            if (src + freq // 2) // freq < TOP_MAX:
                div16 = 16
                top = (src + freq // 2) // freq - 1
            else:
                div16 = slice_hz(TOP_MAX * freq - 1, TOP_MAX * freq)
                top = slice_hz(div16 * freq // 2, div16 * freq) - 1
            if div16 < 16:
                raise ValueError("freq too large")
            if div16 >= 256 * 16:
                raise ValueError("freq too small")
            s = slice_state(self._slice)
            s.update(div16=div16, top=top, freq_set=True)
            for channel in (0, 1):       # both channels keep their duty at the new frequency
                ch = channel_state(self._slice, channel)
                if ch["duty_type"] == _U16:
                    ch["cc"] = (ch["duty"] * (top + 1) + 65535 // 2) // 65535
                elif ch["duty_type"] == _NS:
                    hz = slice_hz(div16 // 2, div16)
                    ch["cc"] = (ch["duty"] * hz + 500_000_000) // 1_000_000_000
            self._refresh_slice()

        def _set_u16(self, duty):
            s = slice_state(self._slice)
            ch = channel_state(self._slice, self._channel)
            duty = max(0, min(65535, duty))
            ch.update(cc=(duty * (s["top"] + 1) + 65535 // 2) // 65535, duty=duty, duty_type=_U16)
            self._start()

        def _set_ns(self, duty_ns):
            s = slice_state(self._slice)
            hz = slice_hz(s["div16"] // 2, s["div16"])
            cc = (duty_ns * hz + 500_000_000) // 1_000_000_000
            if cc > 65535:
                raise ValueError("duty larger than period")
            channel_state(self._slice, self._channel).update(cc=cc, duty=duty_ns, duty_type=_NS)
            self._start()

        def _start(self):
            s = slice_state(self._slice)
            if not getattr(self, "_defer", False) and s["freq_set"] and \
                    channel_state(self._slice, self._channel)["duty_type"] != _NOT_SET:
                s["enabled"] = True
            self._refresh_slice()

        def _refresh_slice(self):
            s = slice_state(self._slice)
            for channel in (0, 1):
                ch = channel_state(self._slice, channel)
                fraction = None
                if s["enabled"] and ch["duty_type"] != _NOT_SET:
                    fraction = min(1.0, ch["cc"] / (s["top"] + 1))
                    if ch["invert"]:
                        fraction = 1.0 - fraction
                _show(board, ch["gpios"], fraction)

        def __repr__(self):
            ch = channel_state(self._slice, self._channel)
            return f"<PWM slice={self._slice} channel={self._channel} invert={ch['invert']}>"

    PWM.__qualname__ = "PWM"
    return PWM


def _esp32_pwm(board, Pin):
    bank = board.gpio

    class PWM:
        def __init__(self, pin, freq=-1, duty=-1, *, duty_u16=-1, duty_ns=-1, invert=0):
            self._gpio = Pin._find(pin)
            self._freq = 5000
            self._u16 = 32768
            self._invert = bool(invert)
            self._running = False
            state = bank[self._gpio]
            bank.change(state, lambda: (setattr(state, "mode", _gpio.ALT), setattr(state, "alt", "PWM")))
            self.init(freq, duty, duty_u16=duty_u16, duty_ns=duty_ns)

        def init(self, freq=-1, duty=-1, *, duty_u16=-1, duty_ns=-1, invert=-1):
            if freq != -1:
                self.freq(freq)
            if duty != -1:
                self.duty(duty)
            if duty_u16 != -1:
                self.duty_u16(duty_u16)
            if duty_ns != -1:
                self.duty_ns(duty_ns)
            if invert != -1:
                self._invert = bool(invert)
            self._running = True
            self._refresh()

        def deinit(self):
            self._running = False
            self._refresh()

        def freq(self, value=None):
            if value is None:
                return self._freq
            if not 0 < value <= 40_000_000:
                raise ValueError("freq must be from 1Hz to 40MHz")
            self._freq = int(value)
            self._refresh()

        def duty(self, value=None):
            if value is None:
                return self._u16 * 1023 // 65535
            self._u16 = max(0, min(1023, int(value))) * 65535 // 1023
            self._refresh()

        def duty_u16(self, value=None):
            if value is None:
                return self._u16
            self._u16 = max(0, min(65535, int(value)))
            self._refresh()

        def duty_ns(self, value=None):
            period_ns = 1_000_000_000 // self._freq
            if value is None:
                return self._u16 * period_ns // 65535
            self._u16 = max(0, min(65535, int(value) * 65535 // period_ns))
            self._refresh()

        def _refresh(self):
            fraction = None
            if self._running:
                fraction = self._u16 / 65535
                if self._invert:
                    fraction = 1.0 - fraction
            _show(board, (self._gpio,), fraction)

        def __repr__(self):
            return f"PWM(Pin({self._gpio}), freq={self._freq}, duty_u16={self._u16})"

    PWM.__qualname__ = "PWM"
    return PWM
