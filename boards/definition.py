"""What a board is made of, as data: the simulator builds a board from one of these."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BoardDefinition:
    """One board model. `machine` is the text MicroPython prints after the
    version in its banner and gives as `sys.implementation._machine`."""

    name: str                     # the URL's host part: sim://<name>
    machine: str                  # "Raspberry Pi Pico with RP2040"
    build: str                    # MicroPython's board build name, e.g. RPI_PICO
    port: str                     # sys.platform and os.uname().sysname, e.g. rp2
    mcu: str
    gpio_count: int               # Pin(n) accepts 0 <= n < gpio_count (and n not in invalid_pins)
    pin_names: dict = field(default_factory=dict)   # board names -> GPIO number
    invalid_pins: frozenset = frozenset()           # GPIO numbers the chip does not have
    # Pins of another chip, numbered from gpio_count on: the Pico W's LED sits on
    # the wireless chip ("EXT_GPIO0"); Pin(n) with an int never reaches them.
    extra_pins: tuple = ()
    led: int | None = None        # pin (bank index) driving the on-board LED (active high)
    cpu_freq: int = 125_000_000
    fs_block_size: int = 4096
    fs_blocks: int = 352          # the flash filesystem's size, in blocks
    usb_ids: tuple = ()           # (vid, pid) pairs the firmware enumerates with
    adc_pins: dict = field(default_factory=dict)    # GPIO -> ADC channel
    adc_vref: float = 3.3
    touch_pins: frozenset = frozenset()             # GPIOs with a capacitive touch channel
    # Default pins of the buses, by bus id, as the port's machine module has them.
    i2c_pins: dict = field(default_factory=dict)    # id -> (scl, sda)
    spi_pins: dict = field(default_factory=dict)    # id -> (sck, mosi, miso)
    uart_pins: dict = field(default_factory=dict)   # id -> (tx, rx)
    host_uart: int = 0            # the UART board.uart_input() talks to (the first one free)
    # The simulated parts wired to the board: callables part(board) -> Part.
    wiring: tuple = ()

    def pin_number(self, name):
        """The pin (bank index) behind a pin name (`"LED"`, `"GP5"`, `"GPIO5"`), or None."""
        if name in self.pin_names:
            return self.pin_names[name]
        if name.startswith("GPIO") and name[4:].isdigit():
            n = int(name[4:])
            if n < self.gpio_count and name == f"GPIO{n}" and n not in self.invalid_pins:
                return n
        if name in self.extra_pins:
            return self.gpio_count + self.extra_pins.index(name)
        return None

    def pin_name(self, number):
        """The chip's name for a pin (bank index): "GPIO5", "EXT_GPIO0"."""
        if number >= self.gpio_count:
            return self.extra_pins[number - self.gpio_count]
        return f"GPIO{number}"
