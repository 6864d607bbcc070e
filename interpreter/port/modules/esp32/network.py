# network for the ESP32, as ports/esp32 builds it (network_wlan.c and
# network_common.c on ESP-IDF's Wi-Fi): WLAN's station and access point.
# The simulated board's radio hears no access point: scan() finds none, and
# a connect() ends in STAT_NO_AP_FOUND, the reason ESP-IDF gives, while the
# port goes on trying to reconnect, as it does by default.
from micropython import const
import machine
import time

STA_IF = const(0)
AP_IF = const(1)

# ports/esp32's own states, and ESP-IDF's disconnect reasons.
STAT_IDLE = const(1000)
STAT_CONNECTING = const(1001)
STAT_GOT_IP = const(1010)
STAT_BEACON_TIMEOUT = const(200)
STAT_NO_AP_FOUND = const(201)
STAT_WRONG_PASSWORD = const(202)
STAT_ASSOC_FAIL = const(203)
STAT_CONNECT_FAIL = const(203)
STAT_HANDSHAKE_TIMEOUT = const(204)
STAT_NO_AP_FOUND_W_COMPATIBLE_SECURITY = const(210)
STAT_NO_AP_FOUND_IN_AUTHMODE_THRESHOLD = const(211)
STAT_NO_AP_FOUND_IN_RSSI_THRESHOLD = const(212)

MODE_11B = const(1)
MODE_11G = const(2)
MODE_11N = const(4)
MODE_LR = const(8)

AUTH_OPEN = const(0)
AUTH_WEP = const(1)
AUTH_WPA_PSK = const(2)
AUTH_WPA2_PSK = const(3)
AUTH_WPA_WPA2_PSK = const(4)
AUTH_WPA2_ENTERPRISE = const(5)
AUTH_WPA3_PSK = const(6)
AUTH_WPA2_WPA3_PSK = const(7)
AUTH_WAPI_PSK = const(8)
AUTH_OWE = const(9)
AUTH_WPA3_ENT_192 = const(10)
AUTH_WPA3_EXT_PSK = const(11)
AUTH_WPA3_EXT_PSK_MIXED_MODE = const(12)
AUTH_MAX = const(17)

_HOSTNAME_MAX = const(32)
# How long the radio takes: a scan of every channel, and the scan a
# connect() starts with to find its network.
_SCAN_MS = const(2000)
_JOIN_MS = const(2500)

_country = "XX"
_hostname = "mpy-esp32"
_phy_mode = MODE_11B | MODE_11G | MODE_11N


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


def phy_mode(mode=None):
    global _phy_mode
    if mode is None:
        return _phy_mode
    _phy_mode = mode


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
        return "0.0.0.0"
    if args[0] == "prefer":
        return 4
    raise ValueError("unexpected key")


def _mac(itf):
    # ESP-IDF derives each interface's MAC from the base MAC in eFuse
    # (machine.unique_id()): the station's is it, the access point's is +1.
    mac = bytearray(machine.unique_id())
    mac[5] = (mac[5] + itf) & 0xFF
    return bytes(mac)


class WLAN:
    IF_STA = STA_IF
    IF_AP = AP_IF
    SEC_OPEN = AUTH_OPEN
    SEC_WEP = AUTH_WEP
    SEC_WPA = AUTH_WPA_PSK
    SEC_WPA2 = AUTH_WPA2_PSK
    SEC_WPA_WPA2 = AUTH_WPA_WPA2_PSK
    SEC_WPA2_ENT = AUTH_WPA2_ENTERPRISE
    SEC_WPA3 = AUTH_WPA3_PSK
    SEC_WPA2_WPA3 = AUTH_WPA2_WPA3_PSK
    SEC_WAPI = AUTH_WAPI_PSK
    SEC_OWE = AUTH_OWE
    SEC_WPA3_ENT_192 = AUTH_WPA3_ENT_192
    SEC_WPA3_EXT_PSK = AUTH_WPA3_EXT_PSK
    SEC_WPA3_EXT_PSK_MIXED_MODE = AUTH_WPA3_EXT_PSK_MIXED_MODE
    SEC_DPP = const(13)
    SEC_WPA3_ENT = const(14)
    SEC_WPA2_WPA3_ENT = const(15)
    SEC_WPA_ENT = const(16)
    PROTOCOL_DEFAULT = MODE_11B | MODE_11G | MODE_11N
    PROTOCOL_LR = MODE_LR
    PM_NONE = const(0)
    PM_PERFORMANCE = const(1)
    PM_POWERSAVE = const(2)

    def __new__(cls, interface=STA_IF):
        if interface not in (STA_IF, AP_IF):
            raise ValueError("invalid WLAN interface identifier")
        return _wl[interface]

    def _init(self, itf):
        self._itf = itf
        self._active = False
        self._ssid = ""
        self._join_ms = None        # when connect() started, None when not requested
        self._reconnects = -1
        self._left = False          # disconnect() was called
        mac = _mac(AP_IF)
        self._ap_ssid = "ESP_%02X%02X%02X" % (mac[3], mac[4], mac[5])
        self._ap_key = ""
        self._ap_security = AUTH_OPEN
        self._ap_channel = 1
        self._ap_hidden = False
        self._max_clients = 10
        self._protocol = WLAN.PROTOCOL_DEFAULT
        self._pm = WLAN.PM_PERFORMANCE
        self._txpower = 20.0
        return self

    def __repr__(self):
        # ports/esp32 gives WLAN no print: MicroPython names the type.
        return "<WLAN>"

    def _require(self, itf):
        if self._itf != itf:
            raise OSError("STA required" if itf == STA_IF else "AP required")

    def active(self, value=None):
        if value is not None:
            self._active = bool(value)
            if not self._active:
                self._join_ms = None
        return self._active

    def connect(self, ssid=None, key=None, *, bssid=None):
        if bssid is not None and len(bssid) != 6:
            raise ValueError
        if not _wl[STA_IF]._active:
            raise OSError("Wifi Not Started")
        if ssid is not None:
            self._ssid = str(ssid, "utf-8") if isinstance(ssid, (bytes, bytearray)) else ssid
        self._join_ms = time.ticks_ms()
        self._left = False

    def disconnect(self):
        self._join_ms = None
        self._left = True

    def status(self, param=None):
        if param is None:
            if self._itf != STA_IF:
                return None
            if self._join_ms is not None and _wl[STA_IF]._active:
                if time.ticks_diff(time.ticks_ms(), self._join_ms) < _JOIN_MS:
                    return STAT_CONNECTING
                return STAT_NO_AP_FOUND
            return STAT_IDLE
        if param == "stations":
            self._require(AP_IF)
            return []
        if param == "rssi":
            self._require(STA_IF)
            raise OSError("Wifi Not Connected")
        raise ValueError("unknown status param")

    def scan(self):
        if not _wl[STA_IF]._active:
            raise OSError("STA must be active")
        time.sleep_ms(_SCAN_MS)
        return []

    def isconnected(self):
        return False

    def _ip(self):
        if self._itf == AP_IF:
            return ("192.168.4.1", "255.255.255.0", "192.168.4.1", "0.0.0.0")
        return ("0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0")

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
            return self._itf == STA_IF
        if key == "has_dhcp4":
            return False
        if key == "addr4":
            return (ip[0], ip[1])
        if key == "gw4":
            return ip[2]
        if key == "mac":
            return _mac(self._itf)
        raise ValueError("unexpected key")

    def config(self, *args, **kwargs):
        if args and kwargs:
            raise TypeError("either pos or kw args are allowed")
        if kwargs:
            for key, value in kwargs.items():
                self._configure(key, value)
            return
        if len(args) != 1:
            raise TypeError("can query only one param")
        key = args[0]
        if key == "mac":
            return _mac(self._itf)
        if key in ("ssid", "essid"):
            return self._ssid if self._itf == STA_IF else self._ap_ssid
        if key == "hidden":
            self._require(AP_IF)
            return self._ap_hidden
        if key in ("security", "authmode"):
            self._require(AP_IF)
            return self._ap_security
        if key == "channel":
            return self._ap_channel
        if key == "ifname":
            return "st1" if self._itf == STA_IF else "ap1"
        if key in ("hostname", "dhcp_hostname"):
            self._require(STA_IF)
            return hostname()
        if key == "max_clients":
            return self._max_clients
        if key == "reconnects":
            self._require(STA_IF)
            return self._reconnects
        if key == "txpower":
            return self._txpower
        if key == "protocol":
            return self._protocol
        if key == "pm":
            return self._pm
        raise ValueError("unknown config param")

    def _configure(self, key, value):
        required = None
        if key == "mac":
            if len(value) != 6:
                raise ValueError("invalid buffer length")
        elif key in ("ssid", "essid"):
            required = AP_IF
            self._ap_ssid = value
        elif key == "hidden":
            required = AP_IF
            self._ap_hidden = bool(value)
        elif key in ("security", "authmode"):
            required = AP_IF
            self._ap_security = int(value)
        elif key in ("key", "password"):
            required = AP_IF
            self._ap_key = value
        elif key == "channel":
            self._ap_channel = int(value)
        elif key in ("hostname", "dhcp_hostname"):
            hostname(value)
        elif key == "max_clients":
            required = AP_IF
            self._max_clients = int(value)
        elif key == "reconnects":
            required = STA_IF
            self._reconnects = int(value)
        elif key == "txpower":
            self._txpower = int(float(value) * 4) / 4
        elif key == "protocol":
            self._protocol = int(value)
        elif key == "pm":
            self._pm = int(value)
        else:
            raise ValueError("unknown config param")
        if required is not None:
            self._require(required)


_wl = (object.__new__(WLAN)._init(STA_IF), object.__new__(WLAN)._init(AP_IF))
