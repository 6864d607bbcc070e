// The simulated board's firmware configuration: the core configured as the
// real board's firmware is (ports/rp2/mpconfigport.h, ports/esp32/...), with
// what differs per board in boards/<name>/mpconfigboard.h.
#include <stddef.h>
#include <stdint.h>
#include <alloca.h>

#include "mpconfigboard.h"

#define MICROPY_CONFIG_ROM_LEVEL                (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)

// A 32-bit board: 31-bit small ints, single-precision floats, as on the RP2040 and ESP32.
#define MICROPY_FLOAT_IMPL                      (MICROPY_FLOAT_IMPL_FLOAT)
#define MICROPY_LONGINT_IMPL                    (MICROPY_LONGINT_IMPL_MPZ)

// Memory and the GC. The heap is a static array: a fixed heap that raises
// MemoryError where the board does. NLR on setjmp (wasm exception handling).
#define MICROPY_ENABLE_GC                       (1)
#define MICROPY_NLR_SETJMP                      (1)
#define MICROPY_GC_STACK_ENTRY_TYPE             uint16_t
#define MICROPY_ALLOC_PATH_MAX                  (128)
#define MICROPY_QSTR_BYTES_IN_HASH              (1)
// The C stack is wasm's shadow stack; its limit is the board's
// (MICROPY_BOARD_C_STACK_LIMIT, main.c). The margin, in wasm's bytes, covers
// what C code uses between two checks.
#define MICROPY_STACK_CHECK_MARGIN              (1024)
#define MICROPY_ENABLE_EMERGENCY_EXCEPTION_BUF  (1)
#if MICROPY_BOARD_ESP32
// The ESP32 port's heap: 56 KB at first, grown on demand from ESP-IDF's
// heap (board_heap.c).
#define MICROPY_GC_SPLIT_HEAP                   (1)
#define MICROPY_GC_SPLIT_HEAP_AUTO              (1)
void *board_heap_alloc(size_t size);
void board_heap_free(void *ptr);
#define MP_PLAT_ALLOC_HEAP(size)                board_heap_alloc(size)
#define MP_PLAT_FREE_HEAP(ptr)                  board_heap_free(ptr)
#endif
#define MICROPY_ENABLE_SCHEDULER                (1)
#define MICROPY_SCHEDULER_DEPTH                 (8)
#define MICROPY_SCHEDULER_STATIC_NODES          (1)
#define MICROPY_USE_INTERNAL_ERRNO              (1)
#define MICROPY_KBD_EXCEPTION                   (1)

// No native code emitter for wasm: @micropython.native runs as bytecode,
// viper and inline assembler are refused (scripts/build_firmware.py's
// CORE_PATCHES).
#define BOARDLAB_NATIVE_AS_BYTECODE             (1)
// The compiler checks the C stack as it descends a nested expression (a
// patch to py/compile.c, as above).
#define BOARDLAB_COMPILE_STACK_CHECK            (1)
#define MICROPY_PERSISTENT_CODE_LOAD            (1)

// The REPL and the board's console.
#define MICROPY_HELPER_REPL                     (1)
#define MICROPY_PY_BUILTINS_HELP_TEXT           board_help_text
#define MICROPY_REPL_INFO                       (1)
#define MICROPY_PY_SYS_PLATFORM                 MICROPY_BOARD_PLATFORM
#define MICROPY_PY_SYS_STDFILES                 (1)
#define MICROPY_PY_SYS_STDIO_BUFFER             (1)

// Modules, as the board's firmware has them.
// time counts from 1970 on rp2, from 2000 on the ESP32 (its port keeps
// MicroPython's old default).
#if MICROPY_BOARD_RP2
#define MICROPY_EPOCH_IS_1970                   (1)
#else
#define MICROPY_EPOCH_IS_2000                   (1)
#endif
#define MICROPY_PY_OS_UNAME                     (1)
#define MICROPY_PY_RE_MATCH_GROUPS              (1)
#define MICROPY_PY_RE_MATCH_SPAN_START_END      (1)
#define MICROPY_PY_TIME_GMTIME_LOCALTIME_MKTIME (1)
#define MICROPY_PY_TIME_TIME_TIME_NS            (1)
#define MICROPY_PY_TIME_INCLUDEFILE             "port/modtime.c"

#define MICROPY_VFS                             (1)
#define MICROPY_READER_VFS                      (1)


// The machine module: extmod's generic halves, completed by this port's
// files (as in ports/rp2 and ports/esp32).
#define MICROPY_PY_MACHINE                      (1)
#define MICROPY_PY_MACHINE_INCLUDEFILE          "port/modmachine.c"
#define MICROPY_PY_MACHINE_RESET                (1)
#define MICROPY_PY_MACHINE_BARE_METAL_FUNCS     (1)
// rp2 has machine.bootloader(); the ESP32 (no USB of its own) has not.
#define MICROPY_PY_MACHINE_BOOTLOADER           (MICROPY_BOARD_RP2)
#if MICROPY_BOARD_RP2
#define MICROPY_PY_MACHINE_FREQ_NUM_ARGS_MAX    (2)
#endif
// mem8/16/32 ask the host's memory map (modmachine.c), not wasm's memory.
#define MICROPY_PY_MACHINE_MEMX                 (0)
#define MICROPY_PY_MACHINE_WDT                  (1)
#define MICROPY_PY_MACHINE_WDT_INCLUDEFILE      "port/machine_wdt.c"
#define MICROPY_PY_MACHINE_PIN_MAKE_NEW         mp_pin_make_new
// As ports/rp2 and ports/esp32 enable them: bitstream (NeoPixels),
// time_pulse_us, and the DHT sensors' reader.
#define MICROPY_PY_MACHINE_BITSTREAM            (1)
#define MICROPY_PY_MACHINE_PULSE                (1)
#define MICROPY_PY_MACHINE_DHT_READINTO         (1)
// time_pulse_us polls the pin in C: the host lets board time pass meanwhile
// (this is expanded inside extmod/machine_pulse.c's loop, with its locals).
#define MICROPY_PY_MACHINE_TIME_PULSE_US_HOOK(dt) host_pin_wait(pin, pulse_level, timeout_us - (dt))

// ADC and PWM (machine_adc.c, machine_pwm.c): the ESP32's ADC also has
// read(), read_uv(), atten() and width(), init() and deinit(), ADCBlock,
// and its PWM the 10-bit duty().
#define MICROPY_PY_MACHINE_ADC                  (1)
#define MICROPY_PY_MACHINE_ADC_INCLUDEFILE      "port/machine_adc.c"
#define MICROPY_PY_MACHINE_PWM                  (1)
#define MICROPY_PY_MACHINE_PWM_INCLUDEFILE      "port/machine_pwm.c"
#if MICROPY_BOARD_ESP32
#define MICROPY_PY_MACHINE_ADC_ATTEN_WIDTH      (1)
#define MICROPY_PY_MACHINE_ADC_INIT             (1)
#define MICROPY_PY_MACHINE_ADC_DEINIT           (1)
#define MICROPY_PY_MACHINE_ADC_READ             (1)
#define MICROPY_PY_MACHINE_ADC_READ_UV          (1)
#define MICROPY_PY_MACHINE_ADC_BLOCK            (1)
#define MICROPY_PY_MACHINE_ADC_BLOCK_INCLUDEFILE "port/machine_adc_block.c"
#define MICROPY_PY_MACHINE_PWM_DUTY             (1)
#endif

// The buses: I2C, SPI, UART (machine_i2c.c, machine_spi.c, machine_uart.c)
// and extmod's SoftSPI. SoftI2C is the port's (machine_i2c.c says why), so
// extmod's is off.
#define MICROPY_PY_MACHINE_I2C                  (1)
#define MICROPY_PY_MACHINE_SOFTI2C              (0)
#define MICROPY_PY_MACHINE_SPI                  (1)
#define MICROPY_PY_MACHINE_SOFTSPI              (1)
#define MICROPY_PY_MACHINE_UART                 (1)
#define MICROPY_PY_MACHINE_UART_INCLUDEFILE     "port/machine_uart.c"
#define MICROPY_PY_MACHINE_UART_SENDBREAK       (1)
#define MICROPY_PY_MACHINE_UART_IRQ             (1)
#if MICROPY_BOARD_RP2
// The Pico SDK's spi_order_t.
#define MICROPY_PY_MACHINE_SPI_MSB              (1)
#define MICROPY_PY_MACHINE_SPI_LSB              (0)
#endif
#if MICROPY_BOARD_ESP32
#define MICROPY_PY_MACHINE_I2C_TRANSFER_WRITE1  (1)
// SoftSPI without delays runs as fast as the CPU toggles pins.
#define MICROPY_HW_SOFTSPI_MIN_DELAY            (0)
#define MICROPY_HW_SOFTSPI_MAX_BAUDRATE         (MICROPY_BOARD_CPU_FREQ / 200)
#endif

#define MICROPY_MAKE_POINTER_CALLABLE(p)        (p)
#define MP_SSIZE_MAX                            (0x7fffffff)
typedef intptr_t mp_off_t;
#define MP_STATE_PORT MP_STATE_VM

// The VM asks the host for events every BOARD_POLL_STEPS branches: Ctrl-C,
// pin IRQs and timers reach running code there (see mphalport.c).
#define BOARD_POLL_STEPS                        (1000)
// At a branch, a Ctrl-C is raised even in code the scheduler is locked for
// (an IRQ handler): see board_raise_pending_exception in mphalport.c.
extern uint32_t board_poll_countdown;
void board_poll(void);
void board_raise_pending_exception(void);
#define MICROPY_VM_HOOK_LOOP \
    if (--board_poll_countdown == 0) { \
        board_poll(); \
        board_raise_pending_exception(); \
    }
#define MICROPY_VM_HOOK_RETURN \
    if (--board_poll_countdown == 0) { \
        board_poll(); \
    }

// Each command (a raw REPL's, a REPL line, boot.py) starts with the dead
// part of the stack cleared, so that what the GC keeps does not depend on
// whether the board had to wait for its input (see mphalport.c).
void board_clear_dead_stack(void);
#define MICROPY_BOARD_BEFORE_PYTHON_EXEC(input_kind, exec_flags) board_clear_dead_stack()

// Waiting (sleep, input, asyncio) blocks in the host until an event.
void board_wait(int timeout_ms);
void board_service_events(void);
#define MICROPY_INTERNAL_WFE(TIMEOUT_MS) board_wait(TIMEOUT_MS)
#define MICROPY_INTERNAL_EVENT_HOOK board_service_events()

#define MICROPY_BEGIN_ATOMIC_SECTION()          (0)
#define MICROPY_END_ATOMIC_SECTION(state)       (void)(state)
