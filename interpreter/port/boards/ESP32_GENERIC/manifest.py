# ports/esp32's manifest, for the parts a simulated board can use: the
# port's modules, asyncio, and micropython-lib's drivers.
freeze("$(PORT_DIR)/modules/esp32", ("_boot.py", "network.py"))
# The port's own modules that the simulated board can run: the filesystem's
# block device and first-boot setup, the APA106 LED driver.
freeze("$(MPY_DIR)/ports/esp32/modules", ("apa106.py", "flashbdev.py", "inisetup.py"))
include("$(PORT_DIR)/modules/manifest.py")
require("dht")
require("ds18x20")
require("neopixel")
require("onewire")
require("upysh")
