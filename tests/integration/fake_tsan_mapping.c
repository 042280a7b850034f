/* fake_tsan_mapping.c: behaves like a TSan build on a kernel whose vm.mmap_rnd_bits is too
 * high for TSan: with address randomisation on it fails at start-up with TSan's own words;
 * with it off it runs. Lets the integration test see racelab's retry without changing
 * the machine's sysctl. The string below makes racelab treat this file as a TSan build. */
#include <stdio.h>
#include <sys/personality.h>

const char tsan_marker[] = "__tsan_init";

int main(void)
{
	int persona = personality(0xffffffff);
	if (persona >= 0 && (persona & ADDR_NO_RANDOMIZE)) {
		printf("ran with address randomisation off\n");
		return 0;
	}
	fprintf(stderr, "FATAL: ThreadSanitizer: unexpected memory mapping 0x%s\n",
	        tsan_marker[0] ? "5d0a0a5f3000-5d0a0a5f4000" : "");
	return 66;
}
