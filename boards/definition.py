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
    gpio_count: int               # Pin(n) accepts 0 <= n < gpio_count
    pin_names: dict = field(default_factory=dict)   # board names -> GPIO number
    led: int | None = None        # GPIO driving the on-board LED (active high)
    cpu_freq: int = 125_000_000
    ram_bytes: int = 264 * 1024
    heap_bytes: int = 264 * 1024  # gc.mem_free() + gc.mem_alloc() add up to this
    fs_block_size: int = 4096
    fs_blocks: int = 352          # the flash filesystem's size, in blocks
    usb_ids: tuple = ()           # (vid, pid) pairs the firmware enumerates with
    adc_pins: dict = field(default_factory=dict)    # GPIO -> ADC channel

    def pin_number(self, name):
        """The GPIO behind a pin name (`"LED"`, `"GP5"`, `"GPIO5"`), or None."""
        if name in self.pin_names:
            return self.pin_names[name]
        if name.startswith("GPIO") and name[4:].isdigit():
            n = int(name[4:])
            if n < self.gpio_count and name == f"GPIO{n}":
                return n
        return None
