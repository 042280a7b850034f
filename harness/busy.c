/* busy.c: slow because the machine is busy, or hung? Pure decisions on CPU samples. */
#include <stdio.h>

#include "busy.h"
#include "i18n.h"

double busy_others_share(const struct cpu_sample *from, const struct cpu_sample *to)
{
	double wall = to->t - from->t;
	int ncpus = to->ncpus > 0 ? to->ncpus : 1;
	if (wall <= 0)
		return 0;
	double others = (to->machine_s - from->machine_s) - (to->child_s - from->child_s);
	return others / (wall * ncpus);
}

bool busy_progressing(const struct cpu_sample *from, const struct cpu_sample *to)
{
	double wall = to->t - from->t;
	double wanted = (to->child_s - from->child_s) + (to->child_wait_s - from->child_wait_s);
	return wall > 0 && (wanted >= BUSY_MIN_PROGRESS * wall || to->child_runnable > 0 ||
	                    (from->child_threads > 0 && to->child_threads != from->child_threads));
}

void busy_deadline_init(struct busy_deadline *d, const struct cpu_sample *start, double timeout_s)
{
	d->start = start->t;
	d->timeout_s = timeout_s;
	d->deadline = start->t + timeout_s;
	d->extended_s = 0;
	d->last = *start;
}

enum busy_action busy_deadline_reached(struct busy_deadline *d, const struct cpu_sample *now)
{
	bool starved = busy_others_share(&d->last, now) >= BUSY_OTHERS_SHARE &&
	               busy_progressing(&d->last, now);
	double cap = d->start + BUSY_CAP_FACTOR * d->timeout_s;
	if (!starved)
		return BUSY_KILL;
	if (now->t >= cap)
		return BUSY_GIVE_UP;
	double next = now->t + BUSY_STEP_FACTOR * d->timeout_s;
	d->deadline = next < cap ? next : cap;
	d->extended_s = d->deadline - (d->start + d->timeout_s);
	d->last = *now;
	return BUSY_EXTEND;
}

void busy_load_add(struct busy_load *load, double wall_s, double others_cpu_s, int ncpus,
                   bool extended, bool busy)
{
	if (ncpus > 0)
		load->ncpus = ncpus;
	load->others_cpu_s += others_cpu_s;
	load->cpu_capacity_s += wall_s * (ncpus > 0 ? ncpus : 1);
	load->extended_runs += extended;
	load->busy_runs += busy;
	double share = load->cpu_capacity_s > 0 ? load->others_cpu_s / load->cpu_capacity_s : 0;
	load->others_share = share < 0 ? 0 : share > 1 ? 1 : share;
}

bool busy_too_busy(const struct busy_load *load)
{
	return load->busy_runs > 0 || load->others_share >= BUSY_OTHERS_SHARE;
}

void busy_describe(const struct busy_load *load, char *out, size_t cap)
{
	size_t len =
	    (size_t)snprintf(out, cap,
	                     ngettext("other programs used %.0f%% of %d CPU",
	                              "other programs used %.0f%% of %d CPUs", load->ncpus),
	                     load->others_share * 100, load->ncpus);
	if (load->loadavg[0] >= 0 && len < cap)
		len += (size_t)snprintf(out + len, cap - len, _("; load average %.2f %.2f %.2f"),
		                        load->loadavg[0], load->loadavg[1], load->loadavg[2]);
	if (load->extended_runs && len < cap)
		len += (size_t)snprintf(out + len, cap - len,
		                        ngettext("; %zu run given more time",
		                                 "; %zu runs given more time", load->extended_runs),
		                        load->extended_runs);
	if (load->busy_runs && len < cap)
		snprintf(out + len, cap - len,
		         ngettext("; %zu run too busy to judge", "; %zu runs too busy to judge",
		                  load->busy_runs),
		         load->busy_runs);
}
