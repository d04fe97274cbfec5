# tests/reliability/reliability.mk - included by the top Makefile.
#
#   make fault        build/fault/famfs-fault-asan: the sources of
#                     build/famfs compiled for glibc with ASan/UBSan and
#                     -DFAMFS_FAULT_INJECT (the metadata-store crash hook of
#                     lib/fault.c).  Test only: never installed.
#   make reliability  the crash, bit-flip and concurrency tests in their
#                     bounded CI modes (tests/reliability/run.sh)
#   build/fault/famfs-testgen-fault: tests/tools/famfs-testgen.c over the
#                     same fault-hooked library (crash_kinds.sh)

RFAULT_DIR  := $(BUILD)/fault
RFAULT_OBJS := $(patsubst %.c,$(RFAULT_DIR)/%.o,$(LIB_SRCS) $(SRV_SRCS) $(FE_SRCS))

$(RFAULT_DIR)/%.o: %.c $(SYSROOT)/flags.mk
	@mkdir -p $(dir $@)
	$(Q)gcc $(ASAN_CFLAGS) -DFAMFS_FAULT_INJECT -MMD -MP -c $< -o $@

$(RFAULT_DIR)/famfs-fault-asan: $(RFAULT_OBJS)
	$(Q)gcc $(ASAN_FLAGS) -o $@ $^ $(ASAN_LIBS)
	@echo "  built $@ (glibc, ASan/UBSan, FAMFS_FAULT_INJECT: tests only)"

RFAULT_LIB_OBJS := $(patsubst %.c,$(RFAULT_DIR)/%.o,$(LIB_SRCS))
$(RFAULT_DIR)/famfs-testgen-fault: tests/tools/famfs-testgen.c $(RFAULT_LIB_OBJS)
	$(Q)gcc $(ASAN_CFLAGS) -DFAMFS_FAULT_INJECT -o $@ $< $(RFAULT_LIB_OBJS) \
		$(LIB_LIBS)

-include $(RFAULT_OBJS:.o=.d)

.PHONY: fault reliability
fault: $(RFAULT_DIR)/famfs-fault-asan $(RFAULT_DIR)/famfs-testgen-fault

reliability: all asan fault
	$(Q)tests/reliability/run.sh
