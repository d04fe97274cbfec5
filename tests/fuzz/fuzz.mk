# tests/fuzz/fuzz.mk - included by the top Makefile.
#
#   make fuzz                 every libFuzzer target for FUZZ_SECONDS (60)
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS="replay"
#   make fuzz-build           build the targets only
#   make fuzz-seeds           regenerate the generated seeds in the tree
#                             (make fuzz also makes them afresh in
#                             build/fuzz/seeds-gen and fuzzes from both)
#
# Targets (tests/fuzz/fuzz_<name>.c) are built with clang
# -fsanitize=fuzzer,address,undefined; the library sources they test are
# compiled with the same sanitizers and coverage into build/fuzz/obj and
# linked as build/fuzz/libfamfs.a.  Seeds live in tests/fuzz/seeds/<name>,
# crash regressions in tests/fuzz/regress/<name> (each run once); the run's
# corpus is kept in build/fuzz/corpus-<name>.  tests/fuzz/run.sh runs them
# and prints "fuzz: N passed, N failed"; a crash fails it and leaves its
# input in build/fuzz/crashes/.

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= kfmap replay fmap config path
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) -D_GNU_SOURCE -Iinclude/famfs -Ilib \
	$(WARN)
FUZZ_CFLAGS  := $(BASE_CFLAGS) -g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
	-I/usr/include/fuse3
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(LIB_SRCS))
FUZZ_BINS    := $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-deps fuzz-build fuzz-seeds
fuzz-deps:
	$(Q)FAMFS_DEPS_EXTRA="clang libclang-rt-14-dev" mk/install-deps.sh

$(FUZZ_DIR)/obj/%.o: %.c | fuzz-deps
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/libfamfs.a: $(FUZZ_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

# the kernel parser is compiled into the target itself
$(FUZZ_DIR)/fuzz_kfmap: tests/fuzz/fuzz_kfmap.c kernel/src/famfs_fmap_parse.c \
		kernel/src/famfs_fmap_parse.h kernel/src/famfs_kcompat.h | fuzz-deps
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_FLAGS) -o $@ $<

$(FUZZ_DIR)/fuzz_fmap: kernel/src/famfs_fmap_parse.c \
	kernel/src/famfs_fmap_parse.h kernel/src/famfs_kcompat.h

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h \
		$(FUZZ_DIR)/libfamfs.a | fuzz-deps
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_FLAGS) -o $@ $< $(FUZZ_DIR)/libfamfs.a $(ASAN_LIBS)

# seed generators: plain programs over the same library build
$(FUZZ_DIR)/mkseeds: tests/fuzz/mkseeds.c lib/fmap.c
	@mkdir -p $(dir $@)
	$(Q)gcc -std=gnu11 -D_GNU_SOURCE -Iinclude/famfs -Ilib -o $@ $^

$(FUZZ_DIR)/mkseeds_replay: tests/fuzz/mkseeds_replay.c $(FUZZ_DIR)/libfamfs.a
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_DIR)/libfamfs.a $(ASAN_LIBS)

fuzz-build: $(FUZZ_BINS)

# $(call fuzz_mkseeds,DIR): the generated seeds of this tree into DIR
define fuzz_mkseeds
	$(Q)mkdir -p $(1)/kfmap $(1)/replay
	$(Q)$(FUZZ_DIR)/mkseeds $(1)/kfmap
	$(Q)$(FUZZ_DIR)/mkseeds_replay $(1)/replay
endef

fuzz-seeds: $(FUZZ_DIR)/mkseeds $(FUZZ_DIR)/mkseeds_replay
	$(call fuzz_mkseeds,tests/fuzz/seeds)

# Every run also starts from seeds made by this tree's library, so a format
# change (a new feature bit that mkfs sets) is fuzzed from its first commit;
# the committed seeds stay as inputs of the format they were made with.
FUZZ_GEN := $(FUZZ_DIR)/seeds-gen
fuzz: $(FUZZ_BINS) $(FUZZ_DIR)/mkseeds $(FUZZ_DIR)/mkseeds_replay
	$(Q)rm -rf $(FUZZ_GEN)
	$(call fuzz_mkseeds,$(FUZZ_GEN))
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_GEN_SEEDS=$(abspath $(FUZZ_GEN)) \
		tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_TARGETS)

-include $(FUZZ_LIB_OBJS:.o=.d)
