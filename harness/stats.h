/* stats.h: summary statistics of a run series. Pure: numbers in, numbers out. */
#ifndef RACELAB_STATS_H
#define RACELAB_STATS_H

#include <stddef.h>

struct stats {
	size_t n;
	double min, max, mean, median, stddev; /* stddev: sample (n - 1); 0 when n < 2 */
};

struct value_count {
	double value;
	size_t count;
};

/* Fills *out from values[0..n). n == 0 gives all zeroes. values is not modified. Returns 0,
 * or -1 when memory for sorting ran out. */
int stats_compute(const double *values, size_t n, struct stats *out);

/* The distinct values, most frequent first (ties: smaller value first), at most max_out of
 * them. Returns how many distinct values there are in all (may exceed max_out), or -1 when
 * memory ran out. */
long stats_distinct(const double *values, size_t n, struct value_count *out, size_t max_out);

/* P(X <= k) for X ~ Binomial(n, p). */
double stats_binomial_cdf(size_t k, size_t n, double p);

/* Is "k of n runs showed it" consistent with a true rate of at least p? False when the
 * chance of seeing k or fewer at rate p is below alpha (a one-sided binomial test), so a
 * noisy machine's bad luck does not fail a lab that is fine. */
int stats_rate_consistent(size_t k, size_t n, double p, double alpha);

#endif
