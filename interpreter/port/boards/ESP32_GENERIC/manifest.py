# ports/esp32's manifest, for the parts a simulated board can use: the
# port's modules, asyncio, and micropython-lib's drivers.
freeze("$(PORT_DIR)/modules/esp32", "_boot.py")
include("$(PORT_DIR)/modules/manifest.py")
require("dht")
require("ds18x20")
require("neopixel")
require("onewire")
require("upysh")
