# network for the Pico W, as ports/rp2 builds it (extmod/modnetwork.c and
# network_cyw43.c): WLAN on the CYW43439. The simulated board's radio hears
# no access point: scan() finds none, and connect() ends in STAT_NO_AP_FOUND
# as the CYW43 reports it when the network it looks for is not there.
from micropython import const
import machine
import time

STA_IF = const(0)
AP_IF = const(1)

# The CYW43's link states (cyw43.h), which status() gives.
STAT_IDLE = const(0)
STAT_CONNECTING = const(1)
_LINK_NOIP = const(2)
STAT_GOT_IP = const(3)
STAT_CONNECT_FAIL = const(-1)
STAT_NO_AP_FOUND = const(-2)
STAT_WRONG_PASSWORD = const(-3)

_HOSTNAME_MAX = const(32)
# How long the radio takes: a scan of every channel, and a join that looks
# for its network (about as long on the chip).
_SCAN_MS = const(2000)
_JOIN_MS = const(3000)

_country = "XX"
_hostname = "PicoW"


def country(code=None):
    global _country
    if code is None:
        return _country
    if len(code) != 2:
        raise ValueError
    _country = code


def hostname(name=None):
    global _hostname
    if name is None:
        return _hostname
    if len(name) > _HOSTNAME_MAX:
        raise ValueError
    _hostname = name


def ipconfig(*args, **kwargs):
    if kwargs:
        if args:
            raise TypeError("can't specify pos and kw args")
        for key in kwargs:
            if key not in ("dns", "prefer"):
                raise ValueError("unexpected key")
        return
    if len(args) != 1:
        raise TypeError("must query one param")
    if args[0] == "dns":
        return "8.8.8.8" if _wl[0]._up or _wl[1]._up else "0.0.0.0"
    if args[0] == "prefer":
        return 4
    raise ValueError("unexpected key")


def _mac():
    # The CYW43's MAC, from its OTP: Raspberry Pi's OUI.
    uid = machine.unique_id()
    return bytes((0x28, 0xCD, 0xC1, uid[5], uid[6], uid[7]))


class CYW43:
    IF_STA = STA_IF
    IF_AP = AP_IF
    SEC_OPEN = const(0)
    SEC_WPA_WPA2 = const(0x00400006)
    SEC_WPA3 = const(0x01000004)
    SEC_WPA2_WPA3 = const(0x01400004)
    PM_NONE = const(0x10)
    PM_PERFORMANCE = const(0xA11142)
    PM_POWERSAVE = const(0x11)

    def __new__(cls, interface=STA_IF):
        return _wl[STA_IF if interface == STA_IF else AP_IF]

    def _init(self, itf):
        self._itf = itf
        self._active = False
        self._up = False            # its netif has been brought up once
        self._join_ms = None
        self._ssid = ""
        self._pm = CYW43.PM_PERFORMANCE
        mac = _mac()
        self._ap_ssid = "PICO%02X%02X" % (mac[4], mac[5])
        self._ap_key = "picoW123"
        self._ap_security = CYW43.SEC_WPA_WPA2
        self._ap_channel = 3
        return self

    def __repr__(self):
        names = {STAT_IDLE: "down", STAT_CONNECTING: "join", _LINK_NOIP: "join", STAT_GOT_IP: "up",
                 STAT_NO_AP_FOUND: "nonet", STAT_WRONG_PASSWORD: "badauth"}
        return "<CYW43 %s %s %s>" % ("STA" if self._itf == STA_IF else "AP",
                                     names.get(self._link(), "fail"), self._ip()[0])

    def _link(self):
        if self._itf == AP_IF:
            return STAT_GOT_IP if self._active else STAT_IDLE
        if self._join_ms is None or not self._active:
            return STAT_IDLE
        if time.ticks_diff(time.ticks_ms(), self._join_ms) < _JOIN_MS:
            return STAT_CONNECTING
        return STAT_NO_AP_FOUND

    def _ip(self):
        if not self._up:
            return ("0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0")
        if self._itf == AP_IF:
            return ("192.168.4.1", "255.255.255.0", "192.168.4.1", "8.8.8.8")
        return ("0.0.0.0", "255.255.255.0", "192.168.0.1", "8.8.8.8")

    def _require_up(self):
        if not self._active:
            raise OSError(1)        # EPERM: the radio is down

    def active(self, value=None):
        if value is None:
            return self._active
        self._active = bool(value)
        if self._active:
            self._up = True
        elif self._itf == STA_IF:
            self._join_ms = None

    def deinit(self):
        for wl in _wl:
            wl._active = False
            wl._join_ms = None

    def scan(self, *, passive=False, ssid=None, essid=None, bssid=None):
        self._require_up()
        time.sleep_ms(_SCAN_MS)
        return []

    def connect(self, ssid, key=None, *, auth=-1, security=-1, bssid=None, channel=0):
        ssid = bytes(ssid, "utf-8") if isinstance(ssid, str) else bytes(ssid)
        if bssid is not None and len(bssid) != 6:
            raise ValueError
        self._require_up()
        self._ssid = ssid.decode()
        self._join_ms = time.ticks_ms()

    def disconnect(self):
        self._join_ms = None

    def isconnected(self):
        return False

    def status(self, param=None):
        if param is None:
            return self._link()
        if param == "rssi":
            if self._itf != STA_IF:
                raise ValueError("STA required")
            return 0
        if param == "stations":
            if self._itf != AP_IF:
                raise ValueError("AP required")
            return []
        raise ValueError("unknown status param")

    def ifconfig(self, config=None):
        if config is None:
            return self._ip()
        if config != "dhcp" and len(config) != 4:
            raise ValueError

    def ipconfig(self, *args, **kwargs):
        if kwargs:
            if args:
                raise TypeError("can't specify pos and kw args")
            return
        if len(args) != 1:
            raise TypeError("must query one param")
        ip = self._ip()
        key = args[0]
        if key == "dhcp4":
            return self._itf == STA_IF and self._join_ms is not None
        if key == "has_dhcp4":
            return False
        if key == "addr4":
            return (ip[0], ip[1])
        if key == "gw4":
            return ip[2]
        if key == "addr6":
            return []
        raise ValueError("unexpected key")

    def config(self, *args, **kwargs):
        if not kwargs:
            if len(args) != 1:
                raise TypeError("must query one param")
            key = args[0]
            if key == "mac":
                return _mac()
            if key in ("ssid", "essid"):
                return self._ssid if self._itf == STA_IF else self._ap_ssid
            if key == "channel":
                return self._ap_channel if self._itf == AP_IF else 0
            if key == "security":
                return self._ap_security
            if key == "pm":
                return self._pm
            if key == "txpower":
                return 31
            if key == "antenna":
                return 0
            if key == "hostname":
                return hostname()
            raise ValueError("unknown config param")
        if args:
            raise TypeError("can't specify pos and kw args")
        for key, value in kwargs.items():
            if key in ("ssid", "essid"):
                self._ap_ssid = str(value)
            elif key in ("key", "password"):
                self._ap_key = str(value)
            elif key == "security":
                self._ap_security = int(value)
            elif key == "channel":
                self._ap_channel = int(value)
            elif key == "pm":
                self._pm = int(value)
            elif key == "hostname":
                hostname(value)
            elif key not in ("antenna", "monitor", "trace", "txpower"):
                raise ValueError("unknown config param")


_wl = (object.__new__(CYW43)._init(STA_IF), object.__new__(CYW43)._init(AP_IF))
WLAN = CYW43
