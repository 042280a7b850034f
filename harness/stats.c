/* stats.c: summary statistics and the binomial test for symptom rates. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double *sorted_copy(const double *values, size_t n)
{
	double *copy = malloc(n * sizeof(*copy));
	if (!copy)
		return NULL;
	memcpy(copy, values, n * sizeof(*copy));
	qsort(copy, n, sizeof(*copy), cmp_double);
	return copy;
}

int stats_compute(const double *values, size_t n, struct stats *out)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return 0;
	double *sorted = sorted_copy(values, n);
	if (!sorted)
		return -1;
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += sorted[i];
	out->n = n;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->mean = sum / (double)n;
	out->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	if (n > 1) {
		double squares = 0;
		for (size_t i = 0; i < n; i++)
			squares += (sorted[i] - out->mean) * (sorted[i] - out->mean);
		out->stddev = sqrt(squares / (double)(n - 1));
	}
	free(sorted);
	return 0;
}

static int cmp_count(const void *a, const void *b)
{
	const struct value_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return cmp_double(&x->value, &y->value);
}

long stats_distinct(const double *values, size_t n, struct value_count *out, size_t max_out)
{
	if (n == 0)
		return 0;
	double *sorted = sorted_copy(values, n);
	struct value_count *all = malloc(n * sizeof(*all));
	if (!sorted || !all) {
		free(sorted);
		free(all);
		return -1;
	}
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++) {
		if (distinct && all[distinct - 1].value == sorted[i])
			all[distinct - 1].count++;
		else
			all[distinct++] = (struct value_count){sorted[i], 1};
	}
	qsort(all, distinct, sizeof(*all), cmp_count);
	memcpy(out, all, (distinct < max_out ? distinct : max_out) * sizeof(*all));
	free(sorted);
	free(all);
	return (long)distinct;
}

double stats_binomial_cdf(size_t k, size_t n, double p)
{
	if (k >= n)
		return 1.0;
	if (p <= 0)
		return 1.0;
	if (p >= 1)
		return 0.0;
	/* Sum of C(n,i) p^i (1-p)^(n-i) in logs, so large n neither overflows nor underflows. */
	double total = 0;
	for (size_t i = 0; i <= k; i++) {
		double log_term = lgamma((double)n + 1) - lgamma((double)i + 1) -
		                  lgamma((double)(n - i) + 1) + (double)i * log(p) +
		                  (double)(n - i) * log1p(-p);
		total += exp(log_term);
	}
	return total > 1.0 ? 1.0 : total;
}

int stats_rate_consistent(size_t k, size_t n, double p, double alpha)
{
	if (n == 0)
		return 0;
	return stats_binomial_cdf(k, n, p) >= alpha;
}
