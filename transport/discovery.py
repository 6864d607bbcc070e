"""Find MicroPython boards among the serial ports, by their USB ids.

Boards with native USB announce themselves (MicroPython's rp2 and pyboard
ids); ESP32 and ESP8266 DevKits sit behind a USB-serial bridge chip whose id
says only "a bridge", so those are candidates rather than certainties.
"""

from dataclasses import dataclass

from serial.tools import list_ports

# (vendor id, product id or None for any) -> what it is, and whether the id
# alone says it runs MicroPython (native USB) or only that it may (a bridge).
KNOWN_USB_IDS = {
    (0x2E8A, 0x0005): ("Raspberry Pi Pico / Pico W / Pico 2 (MicroPython)", True),
    (0x2E8A, None): ("Raspberry Pi RP2040/RP2350 board", False),
    (0xF055, 0x9800): ("pyboard (MicroPython)", True),
    (0xF055, 0x9801): ("pyboard (MicroPython)", True),
    (0xF055, 0x9802): ("pyboard (MicroPython)", True),
    (0xF055, None): ("MicroPython board", True),
    (0x303A, 0x1001): ("Espressif ESP32-S3/C3/C6 (USB serial/JTAG)", False),
    (0x303A, 0x4001): ("Espressif ESP32-S2/S3 (native USB, MicroPython)", True),
    (0x303A, None): ("Espressif board with native USB", False),
    (0x10C4, 0xEA60): ("CP210x USB-serial bridge (ESP32/ESP8266 DevKit?)", False),
    (0x10C4, 0xEA70): ("CP2105 USB-serial bridge (ESP32 board?)", False),
    (0x1A86, 0x7523): ("CH340 USB-serial bridge (ESP32/ESP8266 board?)", False),
    (0x1A86, 0x5523): ("CH341 USB-serial bridge (ESP board?)", False),
    (0x1A86, 0x55D4): ("CH9102 USB-serial bridge (ESP32 DevKit?)", False),
    (0x1A86, 0x55D3): ("CH343 USB-serial bridge (ESP32 board?)", False),
    (0x0403, 0x6001): ("FTDI FT232R USB-serial bridge", False),
    (0x0403, 0x6010): ("FTDI FT2232 USB-serial bridge (ESP-WROVER-KIT?)", False),
    (0x0403, 0x6014): ("FTDI FT232H USB-serial bridge", False),
    (0x0403, 0x6015): ("FTDI FT-X USB-serial bridge", False),
}


@dataclass
class Port:
    device: str  # what %connect takes: /dev/ttyACM0, COM3, ...
    description: str  # what it is, from its USB id or the system
    usb_id: str  # "2e8a:0005", or "" for ports that are not USB
    micropython: bool  # the USB id alone says it runs MicroPython
    known: bool  # a MicroPython board or a bridge such boards use


def identify(info):
    """A pyserial ListPortInfo -> Port."""
    if info.vid is None:
        return Port(info.device, info.description or "serial port", "", False, False)
    usb_id = f"{info.vid:04x}:{info.pid:04x}"
    found = KNOWN_USB_IDS.get((info.vid, info.pid)) or KNOWN_USB_IDS.get((info.vid, None))
    if found is None:
        return Port(info.device, info.description or "USB serial device", usb_id,
                    False, False)
    what, micropython = found
    return Port(info.device, what, usb_id, micropython, True)


def serial_ports():
    """Every serial port of this computer, known boards first."""
    ports = [identify(info) for info in list_ports.comports()]
    return sorted(ports, key=lambda p: (not p.micropython, not p.known, p.device))


def candidate_boards():
    """The ports that are, or may be, MicroPython boards."""
    return [p for p in serial_ports() if p.known]
