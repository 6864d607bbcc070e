// Raspberry Pi Pico (RP2040), as MicroPython's RPI_PICO build.
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico"
#define MICROPY_HW_MCU_NAME                     "RP2040"
#define MICROPY_BOARD_PLATFORM                  "rp2"
#define MICROPY_BOARD_RP2                       (1)
// The GC heap the RPI_PICO firmware gets (see interpreter/port/README.md).
#define MICROPY_BOARD_HEAP_BYTES                (192 * 1024)
#define MICROPY_HW_FLASH_STORAGE_BYTES          (1408 * 1024)
// ports/rp2/main.c starts the RTC at this date on power-up.
#define MICROPY_BOARD_RTC_START                 2021, 1, 1, 0, 0, 0
#define MICROPY_BOARD_GPIO_COUNT                (30)
#define MICROPY_BOARD_CPU_FREQ                  (125000000)
// What ports/rp2's CMake build puts after the date in os.uname().version:
// the release's compiler and build type.
#define MICROPY_BUILD_TYPE                      "GNU 14.2.1 MinSizeRel"
