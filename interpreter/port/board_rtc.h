// The board's real-time clock: microseconds since 1970, counted on the
// board's clock (so it follows virtual time). A real board starts it at its
// power-on date (2021-01-01 on rp2, 2000-01-01 on esp32); machine.RTC sets it.
#ifndef BOARDLAB_BOARD_RTC_H
#define BOARDLAB_BOARD_RTC_H

#include <stdint.h>

uint64_t board_rtc_us(void);
void board_rtc_set_us(uint64_t us);

#endif
