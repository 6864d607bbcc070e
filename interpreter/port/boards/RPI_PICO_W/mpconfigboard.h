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
// The GC heap the RPI_PICO_W firmware gets: the Pico's less what the
// CYW43 driver and lwIP take; gc totals 166016 bytes (see
// interpreter/port/README.md).
#define MICROPY_BOARD_HEAP_BYTES                (169920)
// As the Pico's (the same 8 KB C stack).
#define MICROPY_BOARD_C_STACK_LIMIT             (16848)
#define MICROPY_HW_FLASH_STORAGE_BYTES          (848 * 1024)
#define MICROPY_BOARD_RTC_START                 2021, 1, 1, 0, 0, 0
// The board's pin names (ports/rp2/boards/RPI_PICO_W/pins.csv): GP(n) names
// GPIOn "GPn", NAME(name, n) gives pin n another name. GP23-25 and GP29 are
// the wireless chip's wires; its own GPIOs are pins 30-32 (EXT_GPIO0-2).
#define MICROPY_BOARD_PIN_NAMES(GP, NAME) \
    GP(0) GP(1) GP(2) GP(3) GP(4) GP(5) GP(6) GP(7) GP(8) GP(9) GP(10) GP(11) \
    GP(12) GP(13) GP(14) GP(15) GP(16) GP(17) GP(18) GP(19) GP(20) GP(21) GP(22) \
    GP(26) GP(27) GP(28) NAME(WL_GPIO0, 30) NAME(WL_GPIO1, 31) NAME(WL_GPIO2, 32) NAME(LED, 30)

// What ports/rp2's CMake build puts after the date in os.uname().version:
// the release's compiler and build type.
#define MICROPY_BUILD_TYPE                      "GNU 14.2.1 MinSizeRel"
