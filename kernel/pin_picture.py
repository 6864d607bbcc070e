"""The board drawn as SVG: each header pin named as on the silkscreen, with
what it is doing next to it, and the LED lit or not.

One picture serves the live view (an HTML widget's value) and the static
copy a saved notebook keeps (display.picture). Every pin is a <g> with
data-pin, data-mode and data-level attributes (the LED: data-led="on"/"off"),
so tests and people with dev tools can read states without parsing text.
"""

from dataclasses import dataclass
from html import escape

# The Raspberry Pi Pico's header, pin 1 at the top left (USB end), pins 21-40
# up the right side: what the silkscreen says, top to bottom.
PICO_LEFT = ["GP0", "GP1", "GND", "GP2", "GP3", "GP4", "GP5", "GND", "GP6", "GP7",
             "GP8", "GP9", "GND", "GP10", "GP11", "GP12", "GP13", "GND", "GP14", "GP15"]
PICO_RIGHT = ["VBUS", "VSYS", "GND", "3V3_EN", "3V3(OUT)", "ADC_VREF", "GP28", "AGND",
              "GP27", "GP26", "RUN", "GP22", "GND", "GP21", "GP20", "GP19", "GP18", "GND",
              "GP17", "GP16"]


@dataclass(frozen=True)
class Layout:
    title: str
    left: tuple           # silkscreen names, top to bottom
    right: tuple
    led: int | None       # GPIO (bank index) of the on-board LED
    led_pin: str = ""     # what drives the LED: "GP25", "EXT_GPIO0" (Pico W)


# Boards that share the Pico's header.
PICO_HEADER = {"pico", "picow"}


def layout_for(definition_name, gpio_count=30, led=None, title=None, skip=(), led_pin=None):
    """The header of a known board, or two columns of GPIOs (less `skip`,
    numbers the chip lacks) for any other."""
    led_pin = led_pin or ("" if led is None else f"GP{led}")
    if definition_name in PICO_HEADER:
        return Layout(title or "Raspberry Pi Pico", tuple(PICO_LEFT), tuple(PICO_RIGHT), led,
                      led_pin)
    names = [f"GPIO{n}" for n in range(gpio_count) if n not in skip]
    half = (len(names) + 1) // 2
    return Layout(title or definition_name, tuple(names[:half]), tuple(names[half:]), led,
                  led_pin)


def gpio_of(name):
    """'GP14' -> 14, 'GPIO3' -> 3, 'GND' -> None."""
    for prefix in ("GPIO", "GP"):
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            return int(name[len(prefix):])
    return None


# colours: pad fill for each state
COLOURS = {
    "out-high": "#f4511e", "out-low": "#37474f", "in-high": "#43a047", "in-low": "#eceff1",
    "pwm": "#fb8c00", "adc": "#1e88e5", "alt": "#8e24aa", "idle": "#ffffff",
    "unknown": "#ffffff",
}
PITCH = 19
TOP = 64
BOARD_X, BOARD_W = 200, 150
WIDTH = 560


def describe(reading):
    """('out-high', 'OUT high') etc.: a state key and the text shown by the pin."""
    if reading is None or reading.mode is None:
        return "unknown", ""
    mode = reading.mode
    if mode == "PWM" or (reading.pwm is not None and mode in ("OUT", "ALT")):
        duty = reading.pwm or 0.0
        key, text = "pwm", f"PWM {duty * 100:.0f}%"
    elif mode == "ADC" or reading.analog is not None:
        key = "adc"
        text = "ADC" if reading.analog is None else f"ADC {_analog(reading.analog)}"
    elif mode in ("OUT", "OPEN_DRAIN"):
        high = bool(reading.level)
        key = "out-high" if high else "out-low"
        text = ("OD " if mode == "OPEN_DRAIN" else "OUT ") + ("high" if high else "low")
    elif mode == "IN":
        high = bool(reading.level)
        idle = not (high or reading.pull or reading.irq or reading.driven)
        key = "idle" if idle else ("in-high" if high else "in-low")
        text = "IN " + ("high" if high else "low")
        if reading.pull:
            text += f", pull-{reading.pull}"
    else:
        key, text = "alt", reading.function or mode
    if reading.irq:
        text += ", IRQ"
    return key, text


def _analog(value):
    """A u16 reading, with the volts it means against the 3.3 V reference."""
    return f"{value:.0f} ({value * 3.3 / 65535:.2f} V)"


def render(layout, readings, note="", live=False):
    """The board as an SVG string. `readings`: a tuple indexed by GPIO, or
    None when the states are unknown."""
    by_gpio = {r.gpio: r for r in readings} if readings else {}
    rows = max(len(layout.left), len(layout.right))
    board_h = rows * PITCH + 50
    height = TOP + board_h + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="boardlab-pins" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="16" font-size="13" font-weight="bold">{escape(layout.title)}</text>',
    ]
    if live:
        parts.append('<circle cx="12" cy="30" r="4" fill="#e53935"/>'
                     '<text x="20" y="34" fill="#555">live</text>')
    # the board: a green PCB with the USB connector at the top
    top = TOP - 14
    parts.append(f'<rect x="{BOARD_X + BOARD_W / 2 - 22}" y="{top - 12}" width="44" height="18" '
                 f'rx="3" fill="#b0bec5" stroke="#78909c"/>')
    parts.append(f'<rect x="{BOARD_X}" y="{top}" width="{BOARD_W}" height="{board_h}" '
                 f'rx="8" fill="#1b5e20" stroke="#0d3d12"/>')
    parts.append(_led(layout, by_gpio, top))
    for side, names in (("left", layout.left), ("right", layout.right)):
        for row, name in enumerate(names):
            y = TOP + 40 + row * PITCH
            parts.append(_pin(side, name, y, by_gpio, readings is not None))
    if note:
        parts.append(f'<text x="8" y="{height - 8}" fill="#666">{escape(note)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _led(layout, by_gpio, top):
    cx, cy = BOARD_X + BOARD_W / 2, top + 26
    if layout.led is None:
        return ""
    reading = by_gpio.get(layout.led)
    brightness = 0.0
    if reading is not None:
        if reading.pwm is not None and reading.mode in ("PWM", "OUT", "ALT"):
            brightness = reading.pwm
        elif reading.mode in ("OUT", "OPEN_DRAIN"):
            brightness = float(bool(reading.level))
    lit = brightness > 0
    glow = (f'<circle cx="{cx}" cy="{cy}" r="13" fill="#b2ff59" '
            f'opacity="{0.25 + 0.5 * brightness:.2f}"/>' if lit else "")
    fill = "#c6ff00" if lit else "#546e7a"
    state = "on" if lit else "off"
    return (f'<g data-pin="LED" data-led="{state}" data-gpio="{layout.led}">{glow}'
            f'<rect x="{cx - 6}" y="{cy - 4}" width="12" height="8" rx="2" fill="{fill}" '
            f'stroke="#263238"/><text x="{cx + 17}" y="{cy + 4}" fill="#e8f5e9">LED'
            f'</text><text x="{cx - 17}" y="{cy + 4}" fill="#a5d6a7" text-anchor="end">'
            f'{escape(layout.led_pin)}</text></g>')


def _pin(side, name, y, by_gpio, known):
    left = side == "left"
    pad_x = BOARD_X + 10 if left else BOARD_X + BOARD_W - 10
    name_x = pad_x + 10 if left else pad_x - 10
    state_x = BOARD_X - 8 if left else BOARD_X + BOARD_W + 8
    anchor_in, anchor_out = ("start", "end") if left else ("end", "start")
    gpio = gpio_of(name)
    if gpio is None:
        colour = "#000000" if "GND" in name else "#9e9e9e"
        return (f'<g data-pin="{escape(name)}"><rect x="{pad_x - 5}" y="{y - 5}" width="10" '
                f'height="10" fill="{colour}" stroke="#cfd8dc"/><text x="{name_x}" y="{y + 4}" '
                f'fill="#c8e6c9" text-anchor="{anchor_in}">{escape(name)}</text></g>')
    reading = by_gpio.get(gpio)
    key, text = describe(reading) if known else ("unknown", "")
    if key == "idle":
        text = ""   # an input nothing drives or pulls: what every unused pin is
    ring = ('<circle cx="{x}" cy="{y}" r="8" fill="none" stroke="#d81b60" stroke-width="2"/>'
            .format(x=pad_x, y=y) if reading is not None and reading.irq else "")
    level = "" if reading is None or reading.level is None else str(reading.level)
    return (f'<g data-pin="{escape(name)}" data-gpio="{gpio}" data-state="{key}" '
            f'data-mode="{escape(reading.mode or "") if reading else ""}" data-level="{level}">'
            f'{ring}<circle cx="{pad_x}" cy="{y}" r="5.5" fill="{COLOURS[key]}" '
            f'stroke="#cfd8dc" stroke-width="1.5"/>'
            f'<text x="{name_x}" y="{y + 4}" fill="#ffffff" text-anchor="{anchor_in}">'
            f'{escape(name)}</text>'
            f'<text x="{state_x}" y="{y + 4}" fill="#212121" text-anchor="{anchor_out}">'
            f'{escape(text)}</text></g>')
