/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state machines of the commands: each command declares its states
 * here and its definition (states, entry and exit actions, the events each
 * action may return, rules) next to its actions.  tests/unit/test_cmd_sm.c
 * walks these definitions without running an action.
 */
#ifndef FAMFS_MACHINES_H
#define FAMFS_MACHINES_H

#include "famfs_sm.h"

enum mkfs_state {
	MKFS_ST_INIT, MKFS_ST_PROBE, MKFS_ST_CHECK, MKFS_ST_FORMAT,
	MKFS_ST_KILL, MKFS_ST_VERIFY, MKFS_ST_FAILED, MKFS_ST_STOP,
	_MKFS_ST_MAX,
};

enum fsck_state {
	FSCK_ST_INIT, FSCK_ST_PROBE, FSCK_ST_VALIDATE, FSCK_ST_CHECK,
	FSCK_ST_REPORT, FSCK_ST_FAILED, FSCK_ST_STOP,
	_FSCK_ST_MAX,
};

/* ready: the parent waits for the mount to answer; serve: this process
 * (the forked child, or the command itself in the foreground) serves */
enum mount_state {
	MOUNT_ST_INIT, MOUNT_ST_PROBE, MOUNT_ST_VALIDATE, MOUNT_ST_REPLAY,
	MOUNT_ST_MOUNT, MOUNT_ST_READY, MOUNT_ST_SERVE, MOUNT_ST_FAILED,
	MOUNT_ST_STOP,
	_MOUNT_ST_MAX,
};

enum init_state {
	INIT_ST_INIT, INIT_ST_PROBE, INIT_ST_VALIDATE, INIT_ST_FORMAT,
	INIT_ST_MOUNT, INIT_ST_SERVE, INIT_ST_HANDOFF, INIT_ST_FAILED,
	INIT_ST_STOP,
	_INIT_ST_MAX,
};

extern const struct famfs_sm_def famfs_mkfs_machine;
extern const struct famfs_sm_def famfs_fsck_machine;
extern const struct famfs_sm_def famfs_mount_machine;
extern const struct famfs_sm_def famfs_init_machine;

#define FAMFS_SM_EV(e)	FAMFS_EV(FAMFS_EV_##e)
#define FAMFS_SM_COUNT(t)	(sizeof(t) / sizeof((t)[0]))

#endif /* FAMFS_MACHINES_H */
