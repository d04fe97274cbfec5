# famfs: one static musl binary (build/famfs) plus a glibc ASan/UBSan build
# of the same sources for the tests.  A fresh Debian 12 machine needs
# nothing done by hand: the first build installs packages (apt-get) and
# builds the static libraries into build/sysroot (cached, see mk/).
#
#   make            build/famfs and its mkfs.famfs / fsck.famfs links, and
#                   the manual pages (build/man, also `make man`)
#   make install    into DESTDIR: the binary, its links, the manual pages,
#                   the bash completion and the systemd unit famfs@.service
#   make deb        build/famfs_VERSION_ARCH.deb (dpkg-deb), checked by lintian
#   make demo       the quickstart: image file, mkfs, fsck, summary
#   make test       unit (cmocka), integration, fsck-corpus and QEMU tests
#   make check-layers  lib/ never reaches up into server/ or cmd/ (mk/)
#   make vg         build/vg/famfs-vg: plain glibc -O1 -g, for valgrind
#   make kernel     build/kernel/bzImage: Linux 6.12 with our famfs patches
#   make kernel-debug  build/kernel-debug/bzImage: the same with KASAN, lockdep,
#                   Debian's fuse/dax options (make vmtest-debug boots it)
#   make initramfs  build/initramfs.cpio.gz: the appliance (famfs init as PID 1)
#   make appliance-qemu  boot the appliance in QEMU on an image-backed region
#                   (ROOT=debian: into a Debian root with systemd, from famfs)
#   make debian-test  two appliance guests boot one Debian root from famfs
#   make bench      benchmarks (figures, never pass/fail)
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (tests/fuzz/fuzz.mk)
#   make reliability  crash, bit-flip and concurrency tests (bounded)
#   make incoherent-test  the cache-incoherent memory model (bounded)
#   make DEVELOPER=1 ...  extra warnings

BUILD   ?= build
VERSION := 0.1
Q       := $(if $(V),,@)

WARN := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
	-Wvla -Wformat-security -fno-common -Wno-missing-field-initializers
ifdef DEVELOPER
WARN += -Wshadow -Wpointer-arith -Wcast-align -Wwrite-strings -Wundef
endif
# Nothing may depend on the build host's running kernel: no uname here.
BASE_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DFAMFS_VERSION='"$(VERSION)"' \
	-Iinclude/famfs -ffile-prefix-map=$(CURDIR)=. $(WARN)

# The layers (ARCHITECTURE.md): lib/ (the library, no libfuse), server/ (the
# FUSE server, the only code that includes fuse_lowlevel.h) and cmd/ (the
# dispatcher and the commands); famfs.c only calls the dispatcher.
LIB_SRCS := $(sort $(wildcard lib/*.c))
SRV_SRCS := $(sort $(wildcard server/*.c))
FE_SRCS  := famfs.c $(sort $(wildcard cmd/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))

MUSL_DIR := $(BUILD)/musl
ASAN_DIR := $(BUILD)/asan
SYSROOT  := $(BUILD)/sysroot

LINKS := mkfs.famfs fsck.famfs mount.famfs mount.fuse.famfs

MAN_PAGES := famfs.8 mkfs.famfs.8 fsck.famfs.8 mount.famfs.8

.PHONY: all demo test unit integration fsck-tests bench asan deps clean \
	check-static install man vg check-layers completion deb
all: $(BUILD)/famfs $(addprefix $(BUILD)/,$(LINKS)) man completion

# --- dependencies ---------------------------------------------------------
# install-deps.sh and sysroot.sh return at once when everything is present.
NEED_DEPS := $(filter-out clean,$(or $(MAKECMDGOALS),all))
ifneq ($(NEED_DEPS),)
include $(SYSROOT)/flags.mk
endif

$(SYSROOT)/flags.mk: mk/sysroot.sh mk/install-deps.sh
	$(Q)mk/install-deps.sh
	$(Q)mk/sysroot.sh $(BUILD)
	$(Q)touch $@

deps: $(SYSROOT)/flags.mk

# --- the static musl binary -----------------------------------------------
MUSL_CFLAGS := $(BASE_CFLAGS) -O2 -g $(SYSROOT_CFLAGS)
MUSL_OBJS := $(patsubst %.c,$(MUSL_DIR)/%.o,$(LIB_SRCS) $(SRV_SRCS) $(FE_SRCS))

$(MUSL_DIR)/%.o: %.c $(SYSROOT)/flags.mk
	@mkdir -p $(dir $@)
	$(Q)musl-gcc $(MUSL_CFLAGS) -MMD -MP -c $< -o $@

$(MUSL_DIR)/famfs.unstripped: $(MUSL_OBJS)
	$(Q)musl-gcc -static -o $@ $(MUSL_OBJS) $(SYSROOT_LIBS)

$(BUILD)/famfs: $(MUSL_DIR)/famfs.unstripped
	$(Q)strip -o $@ $<
	@echo "  built $@ ($$(stat -c %s $@) bytes, static musl)"

$(addprefix $(BUILD)/,$(LINKS)): $(BUILD)/famfs
	$(Q)ln -sf famfs $@

# --- manual pages, written from the binary's own help text ------------------
man: $(addprefix $(BUILD)/man/,$(MAN_PAGES))

$(BUILD)/man/%.8: $(BUILD)/famfs mk/man.sh conf/famfs.ini systemd/famfs@.service
	@mkdir -p $(dir $@)
	$(Q)mk/man.sh $(BUILD)/famfs $*.8 $@

# --- bash completion, written from the same help text ----------------------
completion: $(BUILD)/famfs.bash

$(BUILD)/famfs.bash: $(BUILD)/famfs mk/completion.sh
	$(Q)mk/completion.sh $(BUILD)/famfs $@

# --- the Debian package: dpkg-deb, then lintian, which must be silent
# (the package overrides one tag, statically-linked-binary: mk/deb.sh) ----
deb: all check-static
	$(Q)FAMFS_DEPS_EXTRA="lintian bash-completion" mk/install-deps.sh
	$(Q)deb=$$(mk/deb.sh $(BUILD) $(BUILD)) && echo "  built $$deb" && \
		lintian --fail-on error,warning,info --info "$$deb" && \
		echo "  lintian: no tags (overridden: statically-linked-binary)"

# The arrows of ARCHITECTURE.md: see mk/check-layers.sh for the rules.
check-layers:
	$(Q)mk/check-layers.sh

check-static: $(BUILD)/famfs
	$(Q)file -L $(BUILD)/famfs | grep -q 'statically linked' || \
		{ echo "build/famfs is not statically linked"; exit 1; }
	$(Q)size=$$(stat -c %s $(BUILD)/famfs); [ $$size -le 2097152 ] || \
		{ echo "build/famfs is $$size bytes, over 2 MiB"; exit 1; }
	$(Q)! nm $(MUSL_DIR)/famfs.unstripped | grep -E ' (famfs_inco_|famfs_meta_store|famfs_srv_fault_)' || \
		{ echo "build/famfs holds test hooks (fault or incoherent)"; exit 1; }
	@echo "  build/famfs: statically linked, $$(stat -c %s $(BUILD)/famfs) bytes stripped, no test hooks"

# --- glibc + ASan/UBSan build of the same sources, for tests ----------------
ASAN_FLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
ASAN_CFLAGS := $(BASE_CFLAGS) -O1 -g $(ASAN_FLAGS) -I/usr/include/fuse3
LIB_LIBS    := -luuid -linih -lpthread
ASAN_LIBS   := -lfuse3 $(LIB_LIBS)
ASAN_LIB_OBJS := $(patsubst %.c,$(ASAN_DIR)/%.o,$(LIB_SRCS))
ASAN_SRV_OBJS := $(patsubst %.c,$(ASAN_DIR)/%.o,$(SRV_SRCS))
ASAN_FE_OBJS  := $(patsubst %.c,$(ASAN_DIR)/%.o,$(FE_SRCS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(ASAN_DIR)/tests/%,$(UNIT_SRCS))
TOOL_BINS := $(patsubst tests/tools/%.c,$(ASAN_DIR)/tools/%,$(TOOL_SRCS))

$(ASAN_DIR)/%.o: %.c $(SYSROOT)/flags.mk
	@mkdir -p $(dir $@)
	$(Q)gcc $(ASAN_CFLAGS) -MMD -MP -c $< -o $@

$(ASAN_DIR)/famfs-asan: $(ASAN_LIB_OBJS) $(ASAN_SRV_OBJS) $(ASAN_FE_OBJS)
	$(Q)gcc $(ASAN_FLAGS) -o $@ $^ $(ASAN_LIBS)

# A test may ask for link-time wrapping with a line "famfs-wrap: sym ...".
wrap_of = $(addprefix -Wl$(comma)--wrap=,$(shell sed -n 's/.*famfs-wrap: *//p' $(1)))
comma := ,

# -MMD: a test is rebuilt when a header or source it includes changes
# (test_kfmap*.c include kernel/src/famfs_fmap_parse.c).  Tests of lib/
# link the library alone, without libfuse; test_srv_*.c test server/ and
# link it and libfuse too.  -Ilib: tests may use lib/'s private headers.
UNIT_CFLAGS = $(ASAN_CFLAGS) -Ilib -Itests/unit -MMD -MP -MF $@.d
$(ASAN_DIR)/tests/%: tests/unit/%.c $(ASAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)gcc $(UNIT_CFLAGS) -o $@ $< $(ASAN_LIB_OBJS) \
		$(call wrap_of,$<) -lcmocka $(LIB_LIBS)

$(ASAN_DIR)/tests/test_srv_%: tests/unit/test_srv_%.c $(ASAN_LIB_OBJS) \
		$(ASAN_SRV_OBJS)
	@mkdir -p $(dir $@)
	$(Q)gcc $(UNIT_CFLAGS) -Iserver -o $@ $< $(ASAN_SRV_OBJS) $(ASAN_LIB_OBJS) \
		$(call wrap_of,$<) -lcmocka $(ASAN_LIBS)

# test_cmd_*.c walk the commands' own state machines: they link cmd/
# (without famfs.c's main), the server and libfuse too.
ASAN_CMD_OBJS := $(filter-out $(ASAN_DIR)/famfs.o,$(ASAN_FE_OBJS))
$(ASAN_DIR)/tests/test_cmd_%: tests/unit/test_cmd_%.c $(ASAN_LIB_OBJS) \
		$(ASAN_SRV_OBJS) $(ASAN_CMD_OBJS)
	@mkdir -p $(dir $@)
	$(Q)gcc $(UNIT_CFLAGS) -Icmd -Iserver -o $@ $< $(ASAN_CMD_OBJS) \
		$(ASAN_SRV_OBJS) $(ASAN_LIB_OBJS) -lcmocka $(ASAN_LIBS)

-include $(UNIT_BINS:=.d)

$(ASAN_DIR)/tools/%: tests/tools/%.c $(ASAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)gcc $(ASAN_CFLAGS) -o $@ $< $(ASAN_LIB_OBJS) $(LIB_LIBS)

asan: $(ASAN_DIR)/famfs-asan $(UNIT_BINS) $(TOOL_BINS)

# --- plain glibc build for valgrind (no sanitizers: they and valgrind
# cannot share a process) -------------------------------------------------
VG_DIR    := $(BUILD)/vg
VG_CFLAGS := $(BASE_CFLAGS) -O1 -g -I/usr/include/fuse3
VG_OBJS   := $(patsubst %.c,$(VG_DIR)/%.o,$(LIB_SRCS) $(SRV_SRCS) $(FE_SRCS))

$(VG_DIR)/%.o: %.c $(SYSROOT)/flags.mk
	@mkdir -p $(dir $@)
	$(Q)gcc $(VG_CFLAGS) -MMD -MP -c $< -o $@

$(VG_DIR)/famfs-vg: $(VG_OBJS)
	$(Q)gcc -o $@ $^ $(ASAN_LIBS)

vg: $(VG_DIR)/famfs-vg

# --- tests, demo, bench --------------------------------------------------
unit: asan
	$(Q)tests/run-unit.sh $(ASAN_DIR)/tests

integration: all asan check-static
	$(Q)tests/integration/run.sh

fsck-tests: all asan
	$(Q)tests/fsck/run.sh

test: check-layers all asan vg fault incoherent check-static kernel kernel-debug
	$(Q)tests/run-all.sh

demo: all
	$(Q)tests/demo.sh

bench: all asan
	$(Q)bench/run.sh

# /usr/sbin/mount.fuse.famfs makes `mount -t fuse.famfs` and fstab work.
# famfs@.service runs $(SBINDIR)/famfs.
DESTDIR ?=
SBINDIR ?= /usr/sbin
MANDIR  ?= /usr/share/man
UNITDIR ?= /lib/systemd/system
COMPDIR ?= /usr/share/bash-completion/completions
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(COMPDIR)
	install -m 0644 $(BUILD)/famfs.bash $(DESTDIR)$(COMPDIR)/famfs
	for l in $(LINKS); do ln -sf famfs $(DESTDIR)$(COMPDIR)/$$l; done
	install -m 0755 $(BUILD)/famfs $(DESTDIR)$(SBINDIR)/famfs
	for l in $(LINKS); do ln -sf famfs $(DESTDIR)$(SBINDIR)/$$l; done
	install -m 0644 $(addprefix $(BUILD)/man/,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man8
	ln -sf mount.famfs.8 $(DESTDIR)$(MANDIR)/man8/mount.fuse.famfs.8
	sed 's|=/usr/sbin/famfs |=$(SBINDIR)/famfs |' systemd/famfs@.service \
		>$(DESTDIR)$(UNITDIR)/famfs@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/famfs@.service

clean:
	rm -rf $(MUSL_DIR) $(ASAN_DIR) $(VG_DIR) $(BUILD)/fault $(BUILD)/incoherent $(BUILD)/famfs \
		$(addprefix $(BUILD)/,$(LINKS)) $(BUILD)/man $(BUILD)/famfs.bash \
		$(BUILD)/famfs_*.deb

# The kernel (make kernel) and the QEMU tests (make vmtest) keep their rules
# beside their sources.
-include kernel/kernel.mk
-include tests/vm/vm.mk
include initramfs/initramfs.mk
include tests/debian/debian.mk
include tests/fuzz/fuzz.mk
include tests/reliability/reliability.mk
include tests/incoherent/incoherent.mk

-include $(MUSL_OBJS:.o=.d) $(ASAN_LIB_OBJS:.o=.d) $(ASAN_SRV_OBJS:.o=.d) \
	$(ASAN_FE_OBJS:.o=.d) \
	$(VG_OBJS:.o=.d)
