// The machine module's port half (MICROPY_PY_MACHINE_INCLUDEFILE, included
// by extmod/modmachine.c): the classes this board has, its reset causes,
// and the low-level functions extmod asks a port for, each as the board's
// own port (ports/rp2/modmachine.c, ports/esp32/modmachine.c) has it.
#include "py/mphal.h"
#include "machine_pin.h"
#include "board_machine.h"
#include "machine_timer.h"
#include "host.h"

#if MICROPY_BOARD_RP2
// ports/rp2: machine.reset() reboots through the watchdog, so a reset of any
// kind but power-on (or the RUN pin) reads WDT_RESET.
#define BOARD_RESET_PWRON (1)
#define BOARD_RESET_WDT (3)
#define BOARD_MACHINE_GLOBALS \
    { MP_ROM_QSTR(MP_QSTR_PWRON_RESET), MP_ROM_INT(BOARD_RESET_PWRON) }, \
    { MP_ROM_QSTR(MP_QSTR_WDT_RESET), MP_ROM_INT(BOARD_RESET_WDT) },
#endif

#if MICROPY_BOARD_ESP32
// ports/esp32's reset causes (machine.reset() is a HARD_RESET there).
#define BOARD_RESET_PWRON (1)
#define BOARD_RESET_HARD (2)
#define BOARD_RESET_WDT (3)
#define BOARD_RESET_DEEPSLEEP (4)
#define BOARD_RESET_SOFT (5)
// ESP-IDF's wake-up causes (esp_sleep_wakeup_cause_t).
#define BOARD_WAKE_UNDEFINED (0)
#define BOARD_WAKE_EXT0 (2)
#define BOARD_WAKE_EXT1 (3)
#define BOARD_WAKE_TIMER (4)
#define BOARD_WAKE_TOUCHPAD (5)
#define BOARD_WAKE_ULP (6)
// machine.SLEEP and machine.DEEPSLEEP, the wake abilities of Pin.irq(wake=).
#define BOARD_WAKE_SLEEP (2)
#define BOARD_WAKE_DEEPSLEEP (4)
MP_DECLARE_CONST_FUN_OBJ_KW(machine_wake_reason_obj);
#define BOARD_MACHINE_GLOBALS \
    { MP_ROM_QSTR(MP_QSTR_sleep), MP_ROM_PTR(&machine_lightsleep_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_SLEEP), MP_ROM_INT(BOARD_WAKE_SLEEP) }, \
    { MP_ROM_QSTR(MP_QSTR_DEEPSLEEP), MP_ROM_INT(BOARD_WAKE_DEEPSLEEP) }, \
    { MP_ROM_QSTR(MP_QSTR_HARD_RESET), MP_ROM_INT(BOARD_RESET_HARD) }, \
    { MP_ROM_QSTR(MP_QSTR_PWRON_RESET), MP_ROM_INT(BOARD_RESET_PWRON) }, \
    { MP_ROM_QSTR(MP_QSTR_WDT_RESET), MP_ROM_INT(BOARD_RESET_WDT) }, \
    { MP_ROM_QSTR(MP_QSTR_DEEPSLEEP_RESET), MP_ROM_INT(BOARD_RESET_DEEPSLEEP) }, \
    { MP_ROM_QSTR(MP_QSTR_SOFT_RESET), MP_ROM_INT(BOARD_RESET_SOFT) }, \
    { MP_ROM_QSTR(MP_QSTR_wake_reason), MP_ROM_PTR(&machine_wake_reason_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_PIN_WAKE), MP_ROM_INT(BOARD_WAKE_EXT0) }, \
    { MP_ROM_QSTR(MP_QSTR_EXT0_WAKE), MP_ROM_INT(BOARD_WAKE_EXT0) }, \
    { MP_ROM_QSTR(MP_QSTR_EXT1_WAKE), MP_ROM_INT(BOARD_WAKE_EXT1) }, \
    { MP_ROM_QSTR(MP_QSTR_TIMER_WAKE), MP_ROM_INT(BOARD_WAKE_TIMER) }, \
    { MP_ROM_QSTR(MP_QSTR_TOUCHPAD_WAKE), MP_ROM_INT(BOARD_WAKE_TOUCHPAD) }, \
    { MP_ROM_QSTR(MP_QSTR_ULP_WAKE), MP_ROM_INT(BOARD_WAKE_ULP) },
#endif

#if MICROPY_BOARD_ESP32
extern const mp_obj_type_t machine_touchpad_type;
#define BOARD_TOUCHPAD_ENTRY { MP_ROM_QSTR(MP_QSTR_TouchPad), MP_ROM_PTR(&machine_touchpad_type) },
#else
#define BOARD_TOUCHPAD_ENTRY
#endif

MP_DECLARE_CONST_FUN_OBJ_0(machine_disable_irq_obj);
MP_DECLARE_CONST_FUN_OBJ_1(machine_enable_irq_obj);
extern const machine_mem_obj_t machine_mem8_obj, machine_mem16_obj, machine_mem32_obj;
extern const mp_obj_type_t mp_machine_soft_i2c_type;

#define MICROPY_PY_MACHINE_EXTRA_GLOBALS \
    { MP_ROM_QSTR(MP_QSTR_mem8), MP_ROM_PTR(&machine_mem8_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_mem16), MP_ROM_PTR(&machine_mem16_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_mem32), MP_ROM_PTR(&machine_mem32_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_disable_irq), MP_ROM_PTR(&machine_disable_irq_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_enable_irq), MP_ROM_PTR(&machine_enable_irq_obj) }, \
    { MP_ROM_QSTR(MP_QSTR_Pin), MP_ROM_PTR(&machine_pin_type) }, \
    BOARD_TOUCHPAD_ENTRY \
    { MP_ROM_QSTR(MP_QSTR_RTC), MP_ROM_PTR(&machine_rtc_type) }, \
    { MP_ROM_QSTR(MP_QSTR_Timer), MP_ROM_PTR(&machine_timer_type) }, \
    { MP_ROM_QSTR(MP_QSTR_SoftI2C), MP_ROM_PTR(&mp_machine_soft_i2c_type) }, \
    BOARD_MACHINE_GLOBALS

// ---- identity and resets ------------------------------------------------

static mp_obj_t mp_machine_unique_id(void) {
    uint8_t id[8];
    host_unique_id(id);
    #if MICROPY_BOARD_ESP32
    // The ESP32's is its base MAC address, from eFuse (an Espressif OUI).
    uint8_t mac[6] = { 0x24, 0x0a, 0xc4, id[0], id[1], id[2] };
    return mp_obj_new_bytes(mac, sizeof(mac));
    #else
    return mp_obj_new_bytes(id, sizeof(id));
    #endif
}

MP_NORETURN static void mp_machine_reset(void) {
    board_flush_stdout();
    host_reset(0);
    __builtin_trap();
}

#if MICROPY_BOARD_ESP32
// Set by a soft reset, cleared by a hard one (the firmware starts again).
static bool board_soft_reset_done;
#endif

static mp_uint_t board_irq_depth;

// The soft reset: interrupts are enabled again; the ESP32 reads SOFT_RESET.
void board_system_deinit(void) {
    if (board_irq_depth > 0) {
        board_irq_depth = 0;
        host_irq_mask(0);
    }
    #if MICROPY_BOARD_ESP32
    board_soft_reset_done = true;
    #endif
}

static mp_int_t mp_machine_reset_cause(void) {
    #if MICROPY_BOARD_RP2
    switch (host_reset_cause()) {
        case RESET_CAUSE_HARD:
        case RESET_CAUSE_WATCHDOG:
        case RESET_CAUSE_DEEPSLEEP:     // rp2's deepsleep ends in machine.reset()
            return BOARD_RESET_WDT;
        default:
            return BOARD_RESET_PWRON;
    }
    #else
    if (board_soft_reset_done) {
        return BOARD_RESET_SOFT;
    }
    switch (host_reset_cause()) {
        case RESET_CAUSE_HARD:
            return BOARD_RESET_HARD;
        case RESET_CAUSE_WATCHDOG:
            return BOARD_RESET_WDT;
        case RESET_CAUSE_DEEPSLEEP:
            return BOARD_RESET_DEEPSLEEP;
        default:
            return BOARD_RESET_PWRON;
    }
    #endif
}

#if MICROPY_PY_MACHINE_BOOTLOADER
// rp2: the chip restarts in its USB boot ROM (BOOTSEL mode): the serial
// port goes and a USB drive comes, which the simulated board has not; it
// reboots into MicroPython instead.
MP_NORETURN void mp_machine_bootloader(size_t n_args, const mp_obj_t *args) {
    board_flush_stdout();
    host_reset(0);
    __builtin_trap();
}
#endif

#if MICROPY_BOARD_ESP32
// What woke the chip last: a sleep's timeout is the only wake-up source the
// simulated board has (-1: no sleep since boot).
static int board_wake_cause = -1;

static mp_obj_t machine_wake_reason(size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    if (board_wake_cause < 0) {
        return MP_OBJ_NEW_SMALL_INT(host_reset_cause() == RESET_CAUSE_DEEPSLEEP ? BOARD_WAKE_TIMER : BOARD_WAKE_UNDEFINED);
    }
    return MP_OBJ_NEW_SMALL_INT(board_wake_cause);
}
MP_DEFINE_CONST_FUN_OBJ_KW(machine_wake_reason_obj, 0, machine_wake_reason);
#endif

// ---- the CPU clock --------------------------------------------------------

// The CPU clock is the host's (it outlives a soft reset, as on the chip);
// the PWM counts on it.
mp_uint_t board_machine_cpu_freq(void) {
    return host_cpu_freq();
}

static mp_obj_t mp_machine_get_freq(void) {
    return mp_obj_new_int_from_uint(host_cpu_freq());
}

#if MICROPY_BOARD_RP2
// Whether the RP2040's system PLL makes exactly `khz` from its 12 MHz
// crystal: the search of the SDK's check_sys_clock_khz() (VCO 750-1600 MHz,
// feedback divider 16-320, post dividers 1-7).
static bool rp2_pll_can_make(uint32_t khz) {
    for (uint32_t fbdiv = 320; fbdiv >= 16; --fbdiv) {
        uint32_t vco = fbdiv * 12000;
        if (vco < 750000 || vco > 1600000) {
            continue;
        }
        for (uint32_t postdiv1 = 7; postdiv1 >= 1; --postdiv1) {
            for (uint32_t postdiv2 = postdiv1; postdiv2 >= 1; --postdiv2) {
                uint32_t div = postdiv1 * postdiv2;
                if (vco % div == 0 && vco / div == khz) {
                    return true;
                }
            }
        }
    }
    return false;
}
#endif

static void mp_machine_set_freq(size_t n_args, const mp_obj_t *args) {
    mp_int_t freq = mp_obj_get_int(args[0]);
    #if MICROPY_BOARD_RP2
    uint32_t khz = (uint32_t)freq / 1000;
    if (!rp2_pll_can_make(khz)) {
        mp_raise_ValueError(MP_ERROR_TEXT("cannot change frequency"));
    }
    host_set_cpu_freq(khz * 1000);
    if (n_args > 1) {
        mp_int_t freq_peri = mp_obj_get_int(args[1]);
        if (freq_peri != 48000000 && freq_peri != (mp_int_t)(khz * 1000)) {
            mp_raise_ValueError(MP_ERROR_TEXT("peripheral freq must be 48_000_000 or the same as the MCU freq"));
        }
    }
    #else
    mp_int_t mhz = freq / 1000000;
    if (mhz != 20 && mhz != 40 && mhz != 80 && mhz != 160 && mhz != 240) {
        mp_raise_ValueError(MP_ERROR_TEXT("frequency must be 20MHz, 40MHz, 80Mhz, 160MHz or 240MHz"));
    }
    host_set_cpu_freq(mhz * 1000000);
    #endif
}

// ---- sleeping -------------------------------------------------------------

static void mp_machine_idle(void) {
    MICROPY_INTERNAL_WFE(1);
}

// A light sleep keeps the chip's state: on the simulated board it is a wait
// on the board's clock in which interrupts (timers, pins) are served, as
// they wake the chip. With no timeout, only an event ends it.
static void mp_machine_lightsleep(size_t n_args, const mp_obj_t *args) {
    if (n_args == 0) {
        mp_event_wait_indefinite();
        return;
    }
    mp_int_t delay_ms = mp_obj_get_int(args[0]);
    #if MICROPY_BOARD_RP2
    // Longer than the timer alarm reaches.
    if (delay_ms > 1 && (uint64_t)delay_ms >= (1ULL << 32) / 1000) {
        mp_raise_ValueError(MP_ERROR_TEXT("sleep too long"));
    }
    #endif
    if (delay_ms > 0) {
        mp_hal_delay_ms(delay_ms);
    }
    #if MICROPY_BOARD_ESP32
    board_wake_cause = BOARD_WAKE_TIMER;
    #endif
}

// rp2: a light sleep, then machine.reset(). ESP32: the chip powers down
// but for its RTC, which wakes it after the timeout (or never): it boots
// again with DEEPSLEEP_RESET. Both restart the firmware from scratch.
MP_NORETURN static void mp_machine_deepsleep(size_t n_args, const mp_obj_t *args) {
    #if MICROPY_BOARD_RP2
    mp_machine_lightsleep(n_args, args);
    host_reset(0);
    #else
    int64_t timeout_us = -1;
    if (n_args > 0) {
        mp_int_t delay_ms = mp_obj_get_int(args[0]);
        timeout_us = delay_ms > 0 ? (int64_t)delay_ms * 1000 : 0;
    }
    board_flush_stdout();
    host_deepsleep(timeout_us);
    #endif
    __builtin_trap();
}

// ---- interrupts -------------------------------------------------------------

// machine.disable_irq() masks the host's events (timers, pins, UART, Ctrl-C):
// they wait until enable_irq(). rp2 gives the PRIMASK it had (0: enabled);
// the ESP32's critical section always gives 0 and nests.

static mp_obj_t machine_disable_irq(void) {
    mp_uint_t state = board_irq_depth > 0 ? 1 : 0;
    if (board_irq_depth++ == 0) {
        host_irq_mask(1);
    }
    #if MICROPY_BOARD_ESP32
    state = 0;
    #endif
    return mp_obj_new_int(state);
}
MP_DEFINE_CONST_FUN_OBJ_0(machine_disable_irq_obj, machine_disable_irq);

static mp_obj_t machine_enable_irq(mp_obj_t state_in) {
    mp_uint_t state = mp_obj_get_int(state_in);
    #if MICROPY_BOARD_RP2
    // restore_interrupts(): 0 enables them again, whatever the nesting.
    if (state == 0 && board_irq_depth > 0) {
        board_irq_depth = 0;
        host_irq_mask(0);
    }
    #else
    (void)state;
    if (board_irq_depth > 0 && --board_irq_depth == 0) {
        host_irq_mask(0);
    }
    #endif
    return mp_const_none;
}
MP_DEFINE_CONST_FUN_OBJ_1(machine_enable_irq_obj, machine_enable_irq);

// ---- mem8, mem16, mem32 -------------------------------------------------------

// A bus fault: the ESP32 panics and reboots; the RP2040's hard fault locks
// the chip up until a reset.
MP_NORETURN static void board_bus_fault(uint32_t address, bool store) {
    board_flush_stdout();
    #if MICROPY_BOARD_ESP32
    mp_printf(&mp_plat_print, "Guru Meditation Error: Core  1 panic'ed (%s). Exception was unhandled.\n\n",
        store ? "StoreProhibited" : "LoadProhibited");
    mp_printf(&mp_plat_print, "EXCVADDR: 0x%08x\n\nRebooting...\n", (unsigned)address);
    board_flush_stdout();
    host_reset(0);
    #else
    host_halt();
    #endif
    __builtin_trap();
}

static uint32_t board_mem_address(mp_obj_t address_in, uint align) {
    uint32_t address = mp_obj_get_int_truncated(address_in);
    if ((address & (align - 1)) != 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("address %08x is not aligned to %d bytes"), address, align);
    }
    return address;
}

static void machine_mem_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_mem_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "<%u-bit memory>", 8 * self->elem_size);
}

static mp_obj_t machine_mem_subscr(mp_obj_t self_in, mp_obj_t index, mp_obj_t value) {
    machine_mem_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (value == MP_OBJ_NULL) {
        return MP_OBJ_NULL;     // deleting is not supported
    }
    uint32_t address = board_mem_address(index, self->elem_size);
    if (value == MP_OBJ_SENTINEL) {
        uint32_t word = 0;
        if (host_mem_read(address, self->elem_size, &word) != HOST_MEM_OK) {
            board_bus_fault(address, false);
        }
        return mp_obj_new_int(word);
    }
    uint32_t word = mp_obj_get_int_truncated(value);
    if (host_mem_write(address, self->elem_size, word) != HOST_MEM_OK) {
        board_bus_fault(address, true);
    }
    return mp_const_none;
}

static MP_DEFINE_CONST_OBJ_TYPE(
    board_mem_type,
    MP_QSTR_mem,
    MP_TYPE_FLAG_NONE,
    print, machine_mem_print,
    subscr, machine_mem_subscr
    );

const machine_mem_obj_t machine_mem8_obj = {{&board_mem_type}, 1};
const machine_mem_obj_t machine_mem16_obj = {{&board_mem_type}, 2};
const machine_mem_obj_t machine_mem32_obj = {{&board_mem_type}, 4};
