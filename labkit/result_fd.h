/* result_fd.h: the name of the environment variable that tells a lab which file
 * descriptor is its result channel. The one home of that name: the lab kit reads it
 * (labkit/result.c), the harness sets it for each run (harness/runner.c). */
#ifndef RACELAB_RESULT_FD_H
#define RACELAB_RESULT_FD_H

#define RL_RESULT_FD_ENV "RACELAB_RESULT_FD"

#endif
