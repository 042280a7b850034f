/* histogram.c: text histograms with eighth-block precision. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"

#define MAX_BINS 32

/* U+2588 full block down to U+258F one-eighth block; [0] unused. */
static const char *const eighths[9] = {"",       "\u258f", "\u258e", "\u258d", "\u258c",
                                       "\u258b", "\u258a", "\u2589", "\u2588"};

static size_t append(char *buf, size_t cap, size_t len, const char *text)
{
	size_t n = strlen(text);
	if (len + n + 1 > cap)
		return len;
	memcpy(buf + len, text, n + 1);
	return len + n;
}

/* Draws a bar of `cells` cells, padded with spaces to `width` so the counts line up. */
static size_t draw_bar(char *buf, size_t cap, size_t len, double cells, int width, bool unicode)
{
	long eighths_total = lround(cells * 8), drawn;
	if (!unicode) {
		for (drawn = 0; drawn < (eighths_total + 4) / 8; drawn++)
			len = append(buf, cap, len, "#");
	} else {
		for (drawn = 0; drawn < eighths_total / 8; drawn++)
			len = append(buf, cap, len, eighths[8]);
		if (eighths_total % 8) {
			len = append(buf, cap, len, eighths[eighths_total % 8]);
			drawn++;
		}
	}
	for (; drawn < width; drawn++)
		len = append(buf, cap, len, " ");
	return len;
}

static int bin_of(double v, double lo, double step, int bins)
{
	int b = step > 0 ? (int)((v - lo) / step) : 0;
	return b >= bins ? bins - 1 : b;
}

size_t histogram_render(const double *values, size_t n, int bins, int width, bool unicode,
                        char *buf, size_t cap)
{
	size_t len = 0;
	if (cap)
		buf[0] = '\0';
	if (n == 0 || cap == 0)
		return 0;
	double lo = values[0], hi = values[0];
	for (size_t i = 1; i < n; i++) {
		lo = fmin(lo, values[i]);
		hi = fmax(hi, values[i]);
	}
	bins = lo == hi ? 1 : (bins < 1 ? 1 : bins > MAX_BINS ? MAX_BINS : bins);
	double step = (hi - lo) / bins;
	size_t counts[MAX_BINS] = {0}, most = 0;
	for (size_t i = 0; i < n; i++)
		counts[bin_of(values[i], lo, step, bins)]++;
	for (int b = 0; b < bins; b++)
		most = counts[b] > most ? counts[b] : most;

	bool integral = true; /* counters: label bins with whole numbers */
	for (size_t i = 0; i < n && integral; i++)
		integral = values[i] == floor(values[i]);
	for (int b = 0; b < bins; b++) {
		char label[96];
		double from = lo + step * b, to = b == bins - 1 ? hi : lo + step * (b + 1);
		if (integral)
			snprintf(label, sizeof(label), "  %12.0f .. %-12.0f ", ceil(from),
			         floor(to));
		else
			snprintf(label, sizeof(label), "  %12.6g .. %-12.6g ", from, to);
		len = append(buf, cap, len, label);
		len = draw_bar(buf, cap, len, (double)counts[b] * width / (double)most, width,
		               unicode);
		snprintf(label, sizeof(label), " %zu\n", counts[b]);
		len = append(buf, cap, len, label);
	}
	return len;
}
