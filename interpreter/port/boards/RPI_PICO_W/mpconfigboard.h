// Raspberry Pi Pico W (RP2040 and the CYW43439 wireless chip), as
// MicroPython's RPI_PICO_W build.
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico W"
#define MICROPY_HW_MCU_NAME                     "RP2040"
#define MICROPY_BOARD_PLATFORM                  "rp2"
#define MICROPY_BOARD_RP2                       (1)
#define MICROPY_BOARD_GPIO_COUNT                (30)
// The wireless chip's GPIOs (EXT_GPIO0 drives the LED), numbered after the RP2040's.
#define MICROPY_BOARD_EXT_GPIO_COUNT            (3)
#define MICROPY_BOARD_CPU_FREQ                  (125000000)
// The GC heap the RPI_PICO_W firmware gets (see interpreter/port/README.md).
#define MICROPY_BOARD_HEAP_BYTES                (168 * 1024)
#define MICROPY_HW_FLASH_STORAGE_BYTES          (848 * 1024)
#define MICROPY_BOARD_RTC_START                 2021, 1, 1, 0, 0, 0
// What ports/rp2's CMake build puts after the date in os.uname().version:
// the release's compiler and build type.
#define MICROPY_BUILD_TYPE                      "GNU 14.2.1 MinSizeRel"
