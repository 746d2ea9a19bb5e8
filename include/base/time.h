/* time.h: UTC times as seconds since the epoch: one strict parser and one format. */
#ifndef FD_TIME_H
#define FD_TIME_H

#include <stdint.h>

/* The forms parse_utc accepts, for messages. */
#define UTC_FORMS "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with Z or +HH:MM"

/* Days from 1970-01-01 to a valid proleptic Gregorian date. */
int64_t time_days(int year, int month, int day);
/* The civil date of a day number (the inverse of time_days). */
void time_civil(int64_t day, int *year, int *month, int *day_of_month);

/* 2026-11-23T19:42:00Z */
void format_utc(int64_t t, char out[32]);

/*
 * Parses exactly YYYY-MM-DD (midnight UTC) or an RFC 3339 date-time,
 * YYYY-MM-DDTHH:MM:SS[.fraction] then Z or +HH:MM/-HH:MM (the fraction is
 * dropped). Nothing else: no blanks, no short fields, no trailing text, no day
 * the month lacks, no leap second. -1 if malformed. *date_only, when not NULL,
 * says whether s was a plain date.
 */
int parse_utc_form(const char *s, int64_t *out, int *date_only);
int parse_utc(const char *s, int64_t *out);

/*
 * A date or time as a person types it into a form: the date as YYYY-MM-DD or
 * DD/MM/YYYY (the UK order; day and month may have one digit), then
 * optionally a blank or T and HH:MM or HH:MM:SS, then optionally Z; in UTC.
 * Nothing else, and no day the month lacks. -1 if malformed. *date_only,
 * when not NULL, says whether there was no time.
 */
int parse_entered(const char *s, int64_t *out, int *date_only);

/*
 * A --since or --until bound: as parse_utc, but a plain date as an upper
 * bound means its last second, so the whole day is included.
 */
int parse_utc_bound(const char *s, int upper, int64_t *out);

#endif
