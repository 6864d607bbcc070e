#include "py/mphal.h"
#include "shared/timeutils/timeutils.h"
#include "board_rtc.h"

// RTC time = rtc_base_us + the board's ticks; set at power-on (this file's
// static state survives soft resets, as a real RTC does).
static int64_t rtc_base_us = -1;

static void rtc_init(void) {
    if (rtc_base_us < 0) {
        rtc_base_us = (int64_t)timeutils_seconds_since_epoch(MICROPY_BOARD_RTC_START) * 1000000
            - (int64_t)host_ticks_us();
    }
}

uint64_t board_rtc_us(void) {
    rtc_init();
    return (uint64_t)(rtc_base_us + (int64_t)host_ticks_us());
}

void board_rtc_set_us(uint64_t us) {
    rtc_base_us = (int64_t)us - (int64_t)host_ticks_us();
}

uint64_t mp_hal_time_ns(void) {
    return board_rtc_us() * 1000;
}
