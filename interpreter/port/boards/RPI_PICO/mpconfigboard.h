// Raspberry Pi Pico (RP2040), as MicroPython's RPI_PICO build.
#define MICROPY_HW_BOARD_NAME                   "Raspberry Pi Pico"
#define MICROPY_HW_MCU_NAME                     "RP2040"
#define MICROPY_BOARD_PLATFORM                  "rp2"
#define MICROPY_BOARD_RP2                       (1)
// The GC heap the RPI_PICO firmware gets: the striped RAM above .bss
// (ports/rp2/memmap_mp_rp2040.ld); gc totals 233024 bytes, as the board's
// micropython.mem_info() reports (see interpreter/port/README.md).
#define MICROPY_BOARD_HEAP_BYTES                (238544)
// The shadow stack that stands for the board's 8 KB C stack: as deep a
// Python recursion as on the board (see interpreter/port/README.md).
#define MICROPY_BOARD_C_STACK_LIMIT             (16848)
#define MICROPY_HW_FLASH_STORAGE_BYTES          (1408 * 1024)
// ports/rp2/main.c starts the RTC at this date on power-up.
#define MICROPY_BOARD_RTC_START                 2021, 1, 1, 0, 0, 0
#define MICROPY_BOARD_GPIO_COUNT                (30)
#define MICROPY_BOARD_CPU_FREQ                  (125000000)
// The board's pin names (ports/rp2/boards/RPI_PICO/pins.csv): GP(n) names
// GPIOn "GPn", NAME(name, n) gives pin n another name.
#define MICROPY_BOARD_PIN_NAMES(GP, NAME) \
    GP(0) GP(1) GP(2) GP(3) GP(4) GP(5) GP(6) GP(7) GP(8) GP(9) GP(10) GP(11) \
    GP(12) GP(13) GP(14) GP(15) GP(16) GP(17) GP(18) GP(19) GP(20) GP(21) GP(22) \
    GP(25) GP(26) GP(27) GP(28) NAME(LED, 25)

// What ports/rp2's CMake build puts after the date in os.uname().version:
// the release's compiler and build type.
#define MICROPY_BUILD_TYPE                      "GNU 14.2.1 MinSizeRel"
