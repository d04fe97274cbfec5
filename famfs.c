// SPDX-License-Identifier: Apache-2.0
/*
 * famfs: one binary for mkfs, fsck and (later) mount, logplay and the file
 * tools, chosen by subcommand or by the name it was invoked as.
 * This file holds main() and the command table, nothing else.
 */
#include "famfs/cli.h"

static const char help_usage[] =
	"usage: famfs help [COMMAND]\n\n"
	"Print the list of commands, or the full help of one command.\n";

const struct famfs_cmd famfs_commands[] = {
	{ "mkfs", famfs_cmd_mkfs, FAMFS_CMD_LOADCFG,
	  "create a famfs filesystem on a memory device", famfs_mkfs_usage,
	  FAMFS_EXIT_USAGE },
	{ "fsck", famfs_cmd_fsck, FAMFS_CMD_LOADCFG,
	  "check (and --repair) a famfs filesystem", famfs_fsck_usage,
	  16 },
	{ "mount", famfs_cmd_mount, FAMFS_CMD_NEEDROOT | FAMFS_CMD_LOADCFG,
	  "validate, replay and serve a famfs filesystem", famfs_mount_usage,
	  FAMFS_EXIT_USAGE },
	{ "help", famfs_help_cmd, 0,
	  "show help for famfs or one command", help_usage,
	  FAMFS_EXIT_USAGE },
};

const unsigned int famfs_ncommands =
	sizeof(famfs_commands) / sizeof(famfs_commands[0]);

int main(int argc, char **argv)
{
	return famfs_main(argc, argv);
}
