// An ESP32 DevKit (ESP32-WROOM-32, 4 MiB flash, no PSRAM), as MicroPython's
// ESP32_GENERIC build.
#define MICROPY_HW_BOARD_NAME                   "Generic ESP32 module"
#define MICROPY_HW_MCU_NAME                     "ESP32"
#define MICROPY_BOARD_PLATFORM                  "esp32"
#define MICROPY_BOARD_ESP32                     (1)
#define MICROPY_BOARD_GPIO_COUNT                (40)
#define MICROPY_BOARD_CPU_FREQ                  (160000000)
// The GC heap ESP-IDF leaves MicroPython on a board without PSRAM (see
// interpreter/port/README.md).
#define MICROPY_BOARD_HEAP_BYTES                (128 * 1024)
// The "vfs" partition of the 4 MiB partition table.
#define MICROPY_HW_FLASH_STORAGE_BYTES          (2048 * 1024)
// ports/esp32 starts the RTC at 2000-01-01.
#define MICROPY_BOARD_RTC_START                 2000, 1, 1, 0, 0, 0
