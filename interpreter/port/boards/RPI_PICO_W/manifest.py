# ports/rp2's manifest: the port's modules, asyncio, and micropython-lib's
# drivers for common parts.
freeze("$(PORT_DIR)/modules/rp2", ("_boot.py", "rp2.py"))
# network: WLAN on the CYW43 (see the module).
freeze("$(PORT_DIR)/modules/picow", "network.py")
include("$(PORT_DIR)/modules/manifest.py")
require("onewire")
require("ds18x20")
require("dht")
require("neopixel")
