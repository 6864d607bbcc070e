#include "py/mphal.h"
#include "shared/timeutils/timeutils.h"
#include "host.h"
#include "board_rtc.h"

// What the RTC read at board time 0, once this boot has looked at it.
static int64_t rtc_base_us;
static bool rtc_started;

static int64_t rtc_base(void) {
    if (!rtc_started) {
        int64_t base = host_rtc_base();
        #if MICROPY_BOARD_RP2
        // ports/rp2/main.c sets the RTC at every boot.
        base = HOST_RTC_STOPPED;
        #endif
        if (base == HOST_RTC_STOPPED) {
            // Started at power-on: the date the port starts it at, at time 0.
            base = (int64_t)timeutils_seconds_since_epoch(MICROPY_BOARD_RTC_START) * 1000000;
            host_rtc_set_base(base);
        }
        rtc_base_us = base;
        rtc_started = true;
    }
    return rtc_base_us;
}

uint64_t board_rtc_us(void) {
    return (uint64_t)(rtc_base() + (int64_t)host_ticks_us());
}

void board_rtc_set_us(uint64_t us) {
    rtc_base_us = (int64_t)us - (int64_t)host_ticks_us();
    rtc_started = true;
    host_rtc_set_base(rtc_base_us);
}

uint64_t mp_hal_time_ns(void) {
    return board_rtc_us() * 1000;
}
