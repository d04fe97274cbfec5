// SPDX-License-Identifier: Apache-2.0
/*
 * famfs: one binary for mkfs, fsck and (later) mount, logplay and the file
 * tools, chosen by subcommand or by the name it was invoked as.
 * This file holds main() and the command table, nothing else.
 */
#include "cmd/cmd.h"

static const char help_usage[] =
	"usage: famfs help [COMMAND | upstream]\n\n"
	"Print the list of commands, or the full help of one command, or (upstream)\n"
	"how upstream famfs's commands and flags map onto this famfs.\n";

const struct famfs_cmd famfs_commands[] = {
	{ "mkfs", famfs_cmd_mkfs, FAMFS_CMD_LOADCFG,
	  "create a famfs filesystem on a memory device", famfs_mkfs_usage,
	  FAMFS_EXIT_USAGE },
	{ "fsck", famfs_cmd_fsck, FAMFS_CMD_LOADCFG,
	  "check (and --repair) a famfs filesystem", famfs_fsck_usage,
	  FAMFS_FSCK_USAGE },
	{ "mount", famfs_cmd_mount, FAMFS_CMD_NEEDROOT | FAMFS_CMD_LOADCFG,
	  "validate, replay and serve a famfs filesystem", famfs_mount_usage,
	  FAMFS_EXIT_USAGE },
	{ "mkdir", famfs_cmd_mkdir, FAMFS_CMD_MODEENV,
	  "make directories (master)", famfs_mkdir_usage, FAMFS_EXIT_USAGE },
	{ "getmap", famfs_cmd_getmap, FAMFS_CMD_MODEENV,
	  "print the extents of famfs files", famfs_getmap_usage,
	  FAMFS_GETMAP_USAGE },
	{ "clone", famfs_cmd_clone, FAMFS_CMD_MODEENV,
	  "test tool: a second file over a file's extents (master)",
	  famfs_clone_usage, FAMFS_EXIT_USAGE },
	{ "flush", famfs_cmd_flush, FAMFS_CMD_MODEENV,
	  "write files' memory back from the CPU caches", famfs_flush_usage,
	  FAMFS_EXIT_USAGE },
	{ "chkread", famfs_cmd_chkread, FAMFS_CMD_MODEENV,
	  "test tool: compare read() and mmap() of a file", famfs_chkread_usage,
	  FAMFS_EXIT_USAGE },
	{ "logplay", famfs_cmd_logplay, FAMFS_CMD_MODEENV,
	  "replay the log into a mount now", famfs_logplay_usage,
	  FAMFS_EXIT_USAGE },
	{ "status", famfs_cmd_status, FAMFS_CMD_LOADCFG,
	  "report a mounted filesystem's server", famfs_status_usage,
	  FAMFS_EXIT_USAGE },
	{ "devadd", famfs_cmd_devadd, FAMFS_CMD_NEEDROOT,
	  "add a memory device to a mounted filesystem (master)",
	  famfs_devadd_usage, FAMFS_EXIT_USAGE },
	{ "creat", famfs_cmd_creat, FAMFS_CMD_NEEDROOT | FAMFS_CMD_LOADCFG |
	  FAMFS_CMD_MODEENV,
	  "create preallocated files, optionally random-filled (master)",
	  famfs_creat_usage, FAMFS_EXIT_USAGE },
	{ "cp", famfs_cmd_cp, FAMFS_CMD_NEEDROOT | FAMFS_CMD_LOADCFG |
	  FAMFS_CMD_MODEENV,
	  "copy files and trees into famfs (master)", famfs_cp_usage,
	  FAMFS_EXIT_USAGE },
	{ "ln", famfs_cmd_ln, FAMFS_CMD_NEEDROOT | FAMFS_CMD_MODEENV,
	  "make a hard or symbolic link in famfs (master)", famfs_ln_usage,
	  FAMFS_EXIT_USAGE },
	{ "verify", famfs_cmd_verify, FAMFS_CMD_NEEDROOT | FAMFS_CMD_LOADCFG |
	  FAMFS_CMD_MODEENV,
	  "check files against the test data of their seed", famfs_verify_usage,
	  FAMFS_EXIT_USAGE },
	{ "mkmeta", famfs_cmd_mkmeta, FAMFS_CMD_MODEENV,
	  "upstream's legacy verb: check that a mount serves its .meta files",
	  famfs_mkmeta_usage, FAMFS_EXIT_USAGE },
	{ "check", famfs_cmd_check, FAMFS_CMD_NEEDROOT | FAMFS_CMD_MODEENV,
	  "upstream's check: every file of a mount has a map", famfs_check_usage,
	  FAMFS_FSCK_USAGE },
	{ "init", famfs_cmd_init, 0,
	  "PID 1 of the appliance initramfs (/init)", famfs_init_usage,
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
