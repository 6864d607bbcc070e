// The board's real-time clock: microseconds since the port's epoch (1970 on
// rp2, 2000 on esp32, as their time modules count), counted on the board's
// clock, so it follows virtual time. The host keeps it outside the chip
// (host_rtc_base): the RP2040 starts it at 2021-01-01 at every boot
// (ports/rp2/main.c); the ESP32's runs on through a machine.reset(), the
// watchdog and deep sleep, and starts at 2000-01-01 on power-on.
#ifndef BOARDLAB_BOARD_RTC_H
#define BOARDLAB_BOARD_RTC_H

#include <stdint.h>

uint64_t board_rtc_us(void);
void board_rtc_set_us(uint64_t us);

#endif
