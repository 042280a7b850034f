/* labkit.h: the lab kit every lab and solution includes. One header, four parts:
 *   sync.h    checked pthread wrappers and an explicit yield point
 *   gate.h    a spin start gate that releases all workers at once
 *   args.h    the standard knobs (--threads, --iterations) and lab-specific ones
 *   result.h  the result the harness reads: observed vs expected, symptom or not */
#ifndef RACELAB_LABKIT_H
#define RACELAB_LABKIT_H

#include "sync.h"
#include "gate.h"
#include "args.h"
#include "result.h"

#endif
