# tests/fuzz/fuzz.mk - included by the top Makefile.
#
#   make fuzz                 each libFuzzer target for FUZZ_SECONDS (60)
#   make fuzz FUZZ_SECONDS=600
#
# Targets are built with clang -fsanitize=fuzzer,address,undefined; the
# seed corpus is made by the userspace encoder (tests/fuzz/mkseeds.c) and
# the run's corpus kept in build/fuzz/corpus-<target>.  A crash leaves its
# input in build/fuzz/ and fails the run.

FUZZ_SECONDS ?= 60
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -D_GNU_SOURCE -Ifamfs

.PHONY: fuzz fuzz-deps
fuzz-deps:
	$(Q)FAMFS_DEPS_EXTRA="clang libclang-rt-14-dev" mk/install-deps.sh

$(FUZZ_DIR)/fuzz_kfmap: | fuzz-deps
$(FUZZ_DIR)/fuzz_kfmap: tests/fuzz/fuzz_kfmap.c kernel/src/famfs_fmap_parse.c \
		kernel/src/famfs_fmap_parse.h kernel/src/famfs_kcompat.h
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_FLAGS) -o $@ $<

$(FUZZ_DIR)/mkseeds: tests/fuzz/mkseeds.c famfs/fmap.c
	@mkdir -p $(dir $@)
	$(Q)gcc -std=gnu11 -D_GNU_SOURCE -Ifamfs -o $@ $^

fuzz: $(FUZZ_DIR)/fuzz_kfmap $(FUZZ_DIR)/mkseeds
	$(Q)mkdir -p $(FUZZ_DIR)/corpus-kfmap $(FUZZ_DIR)/seeds-kfmap
	$(Q)$(FUZZ_DIR)/mkseeds $(FUZZ_DIR)/seeds-kfmap
	$(Q)cd $(FUZZ_DIR) && ./fuzz_kfmap -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 -print_final_stats=1 corpus-kfmap seeds-kfmap
