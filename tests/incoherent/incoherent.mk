# tests/incoherent/incoherent.mk - included by the top Makefile.
#
#   make incoherent   build/incoherent/famfs-incoherent: the sources of
#                     build/famfs compiled for glibc with ASan/UBSan and
#                     -DFAMFS_INCOHERENT (lib/incoherent.c: every open of a
#                     device is a private, cache-incoherent view), and the
#                     model's own test build/incoherent/tests/test_incoherent.
#                     Test only: never installed, never build/famfs.
#   make incoherent-test  tests/incoherent/run.sh (bounded)

INCO_DIR  := $(BUILD)/incoherent
INCO_LIB_OBJS := $(patsubst %.c,$(INCO_DIR)/%.o,$(LIB_SRCS))
INCO_OBJS := $(patsubst %.c,$(INCO_DIR)/%.o,$(LIB_SRCS) $(SRV_SRCS) $(FE_SRCS))

$(INCO_DIR)/%.o: %.c $(SYSROOT)/flags.mk
	@mkdir -p $(dir $@)
	$(Q)gcc $(ASAN_CFLAGS) -DFAMFS_INCOHERENT -MMD -MP -c $< -o $@

$(INCO_DIR)/famfs-incoherent: $(INCO_OBJS)
	$(Q)gcc $(ASAN_FLAGS) -o $@ $^ $(ASAN_LIBS)
	@echo "  built $@ (glibc, ASan/UBSan, FAMFS_INCOHERENT: tests only)"

$(INCO_DIR)/tests/%: tests/incoherent/%.c $(INCO_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)gcc $(ASAN_CFLAGS) -DFAMFS_INCOHERENT -Ilib -Itests/unit \
		-MMD -MP -MF $@.d -o $@ $< $(INCO_LIB_OBJS) -lcmocka $(LIB_LIBS)

INCO_TESTS := $(patsubst tests/incoherent/%.c,$(INCO_DIR)/tests/%,\
	$(sort $(wildcard tests/incoherent/test_*.c)))

-include $(INCO_OBJS:.o=.d) $(INCO_TESTS:=.d)

.PHONY: incoherent incoherent-test
incoherent: $(INCO_DIR)/famfs-incoherent $(INCO_TESTS)

incoherent-test: all asan fault incoherent
	$(Q)tests/incoherent/run.sh
