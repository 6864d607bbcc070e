// An ESP32 DevKit (ESP32-WROOM-32, 4 MiB flash, no PSRAM), as MicroPython's
// ESP32_GENERIC build.
#define MICROPY_HW_BOARD_NAME                   "Generic ESP32 module"
#define MICROPY_HW_MCU_NAME                     "ESP32"
#define MICROPY_BOARD_PLATFORM                  "esp32"
#define MICROPY_BOARD_ESP32                     (1)
#define MICROPY_BOARD_GPIO_COUNT                (40)
#define MICROPY_BOARD_CPU_FREQ                  (160000000)
// The GC heap: the port's first 56 KB (MICROPY_GC_INITIAL_HEAP_SIZE), grown
// on demand from what ESP-IDF's heap has free of the internal RAM on a board
// without PSRAM (board_heap.c; see interpreter/port/README.md).
#define MICROPY_BOARD_HEAP_BYTES                (56 * 1024)
#define MICROPY_BOARD_IDF_FREE_HEAP_BYTES       (110592)
// The shadow stack that stands for the MicroPython task's 16 KB stack (see
// interpreter/port/README.md).
#define MICROPY_BOARD_C_STACK_LIMIT             (28464)
// The "vfs" partition of the 4 MiB partition table.
#define MICROPY_HW_FLASH_STORAGE_BYTES          (2048 * 1024)
// ports/esp32 starts the RTC at 2000-01-01.
#define MICROPY_BOARD_RTC_START                 2000, 1, 1, 0, 0, 0
