%% SPDX-License-Identifier: ISC
%% @doc System call filtering: one case per call of the seccomp family (success and failure
%% paths), the policies nook_seccomp compiles and caches, what a refused call looks like to
%% the caller (termsig sigsys, the name of a trapped syscall, the audit record of a logged
%% one), and, in the group `unprivileged' (run again by bin/test as a user with no privilege
%% at all), the default profile of rootless containers.
%%
%% Filters are loaded in forked tasks after no_new_privs, so a case never restricts the
%% port's root. No verdict depends on timing: a receive waits for a message that must come,
%% and its time limit only turns a hang into a failure.
-module(nook_seccomp_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
%% calls.def
-export([seccomp/1, seccomp_compile/1, seccomp_load/1, seccomp_syscall_name/1]).
%% policies and refusals
-export([malformed_policy/1, compiled_cache/1, descendants_and_stacking/1,
         kill_process_termsig/1, trap_refused_by_name/1, log_allows/1, log_audit_record/1,
         process_option/1, allowlist/1]).
%% group unprivileged
-export([rootless_default_runs_programs/1, rootless_keyctl/1, rootless_new_userns/1,
         rootless_tiocsti/1, rootless_kill_process/1, rootless_setuid/1,
         rootless_bad_policy/1]).

-define(TIMEOUT, 10000).
-define(NOBODY, 65534).
-define(PYTHON, "/usr/bin/python3").
%% A policy whose effect a nook call shows: chdir refused with an errno no chdir gives for "/".
-define(NO_CHDIR, #{default => allow, rules => [{{errno, eacces}, [chdir]}]}).
%% keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, create): "Ret Errno"
-define(KEYCTL_PY,
        "import ctypes, platform\n"
        "nr = {'x86_64': 250, 'aarch64': 219}[platform.machine()]\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "r = libc.syscall(nr, 0, -4, 1)\n"
        "print(r, ctypes.get_errno())\n").
%% TIOCSTI on stdin, then again with bits above the 32 the kernel reads: "Errno Errno"
-define(TIOCSTI_PY,
        "import ctypes, platform, termios\n"
        "nr = {'x86_64': 16, 'aarch64': 29}[platform.machine()]\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "c = ctypes.c_char_p(b'x')\n"
        "libc.syscall(nr, 0, ctypes.c_ulong(termios.TIOCSTI), c)\n"
        "a = ctypes.get_errno()\n"
        "libc.syscall(nr, 0, ctypes.c_ulong(termios.TIOCSTI | (1 << 32)), c)\n"
        "print(a, ctypes.get_errno())\n").

suite() -> [{timetrap, {seconds, 120}}].

all() ->
    [seccomp, seccomp_compile, seccomp_load, seccomp_syscall_name, malformed_policy,
     compiled_cache, descendants_and_stacking, kill_process_termsig, trap_refused_by_name,
     log_allows, log_audit_record, process_option, allowlist, {group, unprivileged}].

groups() ->
    [{unprivileged, [],
      [rootless_default_runs_programs, rootless_keyctl, rootless_new_userns, rootless_tiocsti,
       rootless_kill_process, rootless_setuid, rootless_bad_policy]}].

init_per_group(unprivileged, Config) ->
    case nook_stream:run(["true"], nook_rootless, [{seccomp, none}]) of
        {ok, [{exit_status, 0}]} -> Config;
        Other -> {skip, lists:flatten(io_lib:format("no rootless container here: ~p", [Other]))}
    end.

end_per_group(_Group, _Config) -> ok.

init_per_testcase(_Case, Config) ->
    {ok, Root} = nook:fork(),
    [{root, Root} | Config].

end_per_testcase(_Case, Config) ->
    nook:stop(?config(root, Config)).

%% ---- calls.def ----

seccomp(Config) ->
    T = ?config(root, Config),
    C = nnp_child(T),
    {ok, BPF} = nook:seccomp_compile(C, ?NO_CHDIR),
    Prog = [<<(byte_size(BPF) div 8):16/native, 0:48>>, {ptr, BPF}],
    ?assertEqual(ok, nook:seccomp(C, seccomp_set_mode_filter, 0, Prog)),
    ?assertEqual({error, eacces}, nook:chdir(C, "/")),
    %% a program written by hand: one instruction, BPF_RET|BPF_K SECCOMP_RET_ALLOW
    Allow = <<16#06:16/native, 0, 0, 16#7fff0000:32/native>>,
    ?assertEqual(ok, nook:seccomp(C, 'SECCOMP_SET_MODE_FILTER', [], [<<1:16/native, 0:48>>, {ptr, Allow}])),
    ?assertEqual({error, eacces}, nook:chdir(C, "/")), %% the first filter still holds
    %% a listener for user notifications is an fd, close-on-exec like every fd nook makes
    {ok, Listener} = nook:seccomp(C, seccomp_set_mode_filter, [seccomp_filter_flag_new_listener],
                                  [<<1:16/native, 0:48>>, {ptr, Allow}]),
    ?assertEqual({ok, 1}, nook:fcntl(C, Listener, f_getfd)),
    ok = nook:close(C, Listener),
    ?assertEqual(ok, nook:seccomp(C, seccomp_get_action_avail, 0, <<16#7ffc0000:32/native>>)),
    ?assertEqual({error, enotsup}, nook:seccomp(C, seccomp_get_action_avail, 0, <<16#12345678:32/native>>)),
    ?assertEqual({error, einval}, nook:seccomp(C, seccomp_set_mode_filter, 0, [<<0:16/native, 0:48>>, {ptr, <<>>}])),
    ?assertEqual({error, einval}, nook:seccomp(C, 16#7fff, 0, [])),
    ?assertEqual({error, enotsup}, nook:seccomp(C, seccomp_set_mode_nosuch, 0, [])),
    ?assertEqual({error, enotsup}, nook:seccomp(C, seccomp_set_mode_filter, [seccomp_filter_flag_nosuch], [])),
    ?assertError(badarg, nook:seccomp(C, seccomp_set_mode_filter, 0, 1.0)),
    ?assertError(badarg, nook:seccomp(C, "filter", 0, [])),
    %% strict mode ([] is a NULL pointer): the reply gets out, the next poll is fatal
    S = nnp_child(T),
    ?assertEqual(ok, nook:seccomp(S, seccomp_set_mode_strict, 0, [])),
    ?assertEqual({termsig, S, sigkill}, receive_exit(S)).

seccomp_compile(Config) ->
    T = ?config(root, Config),
    {ok, BPF} = nook:seccomp_compile(T, nook_seccomp:default_profile()),
    ?assertEqual(0, byte_size(BPF) rem 8),
    ?assert(byte_size(BPF) > 8),
    %% syscalls some architectures of the filter lack (socketcall and waitpid exist on x86 only,
    %% kexec_file_load not there) do not fail the policy
    ?assertMatch({ok, <<_:64, _/binary>>},
                 nook:seccomp_compile(T, #{default => allow,
                                           rules => [{kill_process, [socketcall, waitpid, kexec_file_load]}]})),
    %% every action, every comparison, names and numbers as values
    All = #{default => {errno, 1},
            rules => [{allow, [read, write]}, {kill_thread, kill, [{1, eq, sigkill}]},
                      {trap, ioctl, [{0, ne, 0}, {1, lt, 5}]}, {log, socket, [{0, le, af_inet}, {1, ge, 1}]},
                      {kill_process, clone, [{0, gt, -1}]}, {{errno, enosys}, openat, [{2, masked_eq, 3, o_wronly}]}]},
    ?assertMatch({ok, _}, nook:seccomp_compile(T, All)),
    ?assertEqual({error, {unknown_syscall, no_such_call}},
                 nook:seccomp_compile(T, #{default => allow, rules => [{kill_process, [read, no_such_call]}]})),
    ?assertEqual({error, {unknown_constant, no_such_request}},
                 nook:seccomp_compile(T, #{default => allow, rules => [{trap, ioctl, [{1, eq, no_such_request}]}]})),
    ?assertEqual({error, {unknown_constant, enosuch}},
                 nook:seccomp_compile(T, #{default => allow, rules => [{{errno, enosuch}, [read]}]})),
    %% the name comes back as it went, whatever its length or characters
    [?assertEqual({error, {unknown_syscall, Name}},
                  nook:seccomp_compile(T, #{default => allow, rules => [{trap, [Name]}]}))
     || Name <- ['KEYCTL', list_to_atom(lists:duplicate(255, 16#1F600))]],
    ?assertError({badarg, 42}, nook:seccomp_compile(T, #{default => allow, rules => [{trap, [read, 42]}]})),
    %% limits that keep a compilation short (libseccomp slows down fast with conditions)
    ?assertEqual({error, {too_many, rules, 1024}},
                 nook:seccomp_compile(T, #{default => allow, rules => [{trap, [read]} || _ <- lists:seq(1, 1025)]})),
    ?assertEqual({error, {too_many, conditions, 256}},
                 nook:seccomp_compile(T, #{default => allow,
                                           rules => [{trap, read, [{0, eq, N}]} || N <- lists:seq(1, 257)]})),
    ?assertMatch({ok, _}, nook:seccomp_compile(T, #{default => allow,
                                                     rules => [{trap, read, [{0, eq, N}]} || N <- lists:seq(1, 256)]})),
    %% the C side refuses what normalize/1 would not send
    ?assertError(badarg, nook:call(T, seccomp_compile, [{allow, [{allow, read, [{9, eq, 0, 0}]}]}])),
    ?assertError(badarg, nook:call(T, seccomp_compile, [{allow, [{allow, read, [{0, xx, 0, 0}]}]}])),
    ?assertError(badarg, nook:call(T, seccomp_compile, [{{errno, 5000}, []}])),
    ?assertError(badarg, nook:call(T, seccomp_compile, [#{}])),
    %% and the port goes on serving
    ?assertEqual(nook:pidof(T), nook:getpid(T)).

seccomp_load(Config) ->
    T = ?config(root, Config),
    C = nnp_child(T),
    {ok, BPF} = nook:seccomp_compile(C, ?NO_CHDIR),
    ?assertEqual(ok, nook:chdir(C, "/")),
    ?assertEqual(ok, nook:seccomp_load(C, BPF)),
    ?assertEqual({error, eacces}, nook:chdir(C, "/")),
    ?assertEqual({error, einval}, nook:seccomp_load(C, <<>>)),
    ?assertEqual({error, einval}, nook:seccomp_load(C, <<0:64>>)), %% not a valid program
    ?assertEqual({error, einval}, nook:seccomp_load(C, binary:copy(BPF, 4097))), %% over the limit
    ?assertError(badarg, nook:seccomp_load(C, <<1, 2, 3>>)),
    ?assertError(badarg, nook:seccomp_load(C, [BPF])),
    %% without no_new_privs or CAP_SYS_ADMIN the kernel refuses
    U = unprivileged_child(T),
    ?assertEqual({error, eacces}, nook:seccomp_load(U, BPF)),
    ?assertEqual({error, {eacces, needs_no_new_privs_or_cap_sys_admin}}, nook_seccomp:load(U, ?NO_CHDIR)),
    ?assertEqual(ok, nook:chdir(U, "/")).

seccomp_syscall_name(Config) ->
    T = ?config(root, Config),
    ?assertEqual({error, {unknown_syscall, 99999}}, nook:seccomp_syscall_name(T, 99999, native)),
    ?assertEqual({error, enotsup}, nook:seccomp_syscall_name(T, 1, no_such_arch)),
    ?assertError(badarg, nook:seccomp_syscall_name(T, 1.0, native)),
    ?assertError(badarg, nook:seccomp_syscall_name(T, 1, -1)),
    case erlang:system_info(system_architecture) of
        "x86_64" ++ _ ->
            ?assertEqual({ok, keyctl, x86_64}, nook:seccomp_syscall_name(T, 250, native)),
            ?assertEqual({ok, keyctl, x86_64}, nook:seccomp_syscall_name(T, 250, x86_64)),
            ?assertEqual({ok, keyctl, x86}, nook:seccomp_syscall_name(T, 288, 'X86')),
            %% a siginfo_t's si_arch (AUDIT_ARCH_X86_64) with an x32 number
            ?assertEqual({ok, keyctl, x32}, nook:seccomp_syscall_name(T, 16#400000fa, 16#c000003e));
        "aarch64" ++ _ ->
            ?assertEqual({ok, keyctl, aarch64}, nook:seccomp_syscall_name(T, 219, native));
        Arch ->
            {skip, "syscall numbers of " ++ Arch ++ " are not in this suite"}
    end.

%% ---- policies and refusals ----

malformed_policy(Config) ->
    T = ?config(root, Config),
    Bad = [{not_a_map, not_a_map},
           {#{rules => []}, #{rules => []}},
           {#{default => allow, extra => 1}, {extra, 1}},
           {#{default => deny}, deny},
           {#{default => {errno, -1}}, {errno, -1}},
           {#{default => allow, rules => nope}, {rules, nope}},
           {#{default => allow, rules => [{trap}]}, {trap}},
           {#{default => allow, rules => [{stop, [read]}]}, stop},
           {#{default => allow, rules => [{trap, "read"}]}, 114},
           {#{default => allow, rules => [{trap, []}]}, {trap, []}},
           {#{default => allow, rules => [{trap, read, [{6, eq, 0}]}]}, {6, eq, 0}},
           {#{default => allow, rules => [{trap, read, [{0, like, 0}]}]}, {0, like, 0}},
           {#{default => allow, rules => [{trap, read, [{0, eq, 1.5}]}]}, {0, eq, 1.5}},
           {#{default => allow, rules => [{trap, read, [{0, eq, 1 bsl 64}]}]}, {0, eq, 1 bsl 64}},
           {#{default => allow, rules => [{trap, read, [{0, eq, 1}, {0, ne, 2}]}]},
            {trap, read, [{0, eq, 1}, {0, ne, 2}]}},
           %% an unconditional rule and another action for the same syscall contradict
           {#{default => allow, rules => [{trap, [read]}, {log, read, [{0, eq, 1}]}]},
            {log, read, [{0, eq, 1}]}},
           {#{default => allow, rules => [{{errno, eperm}, read, [{0, eq, 1}]}, {log, [write, read]}]},
            {log, [write, read]}}],
    [?assertError({badarg, Element}, nook:seccomp_compile(T, Policy)) || {Policy, Element} <- Bad],
    %% the same action twice, or exclusive conditions, are fine
    ?assertMatch({ok, _}, nook:seccomp_compile(T, #{default => allow,
                                                     rules => [{trap, [read]}, {trap, [read]},
                                                               {log, write, [{0, eq, 1}]},
                                                               {trap, write, [{0, eq, 2}]}]})),
    ?assertEqual(nook:pidof(T), nook:getpid(T)).

compiled_cache(Config) ->
    T = ?config(root, Config),
    %% a policy of this run only: the cache cannot hold it yet
    Errno = erlang:unique_integer([positive]) rem 4000 + 1,
    Policy = #{default => allow, rules => [{{errno, Errno}, [acct]}]},
    {ok, BPF} = nook_seccomp:compiled(T, Policy),
    %% a task that may not compile still gets the program: it comes from the cache
    {ok, F} = nook:fork(T),
    ok = nook:filter(F, [seccomp_compile]),
    ?assertError(undef, nook:seccomp_compile(F, Policy)),
    ?assertEqual({ok, BPF}, nook_seccomp:compiled(F, Policy)),
    ?assertError(undef, nook_seccomp:compiled(F, Policy#{default => log})),
    %% what was cached is what compiling gives
    ?assertEqual({ok, BPF}, nook:seccomp_compile(T, Policy)),
    ?assertError({badarg, nope}, nook_seccomp:compiled(F, #{default => nope})).

descendants_and_stacking(Config) ->
    T = ?config(root, Config),
    C = nnp_child(T),
    ok = nook_seccomp:load(C, ?NO_CHDIR),
    {ok, G} = nook:fork(C),
    ?assertEqual({error, eacces}, nook:chdir(G, "/")),
    %% a looser filter on top changes nothing: every filter judges every call
    ok = nook_seccomp:load(G, #{default => allow}),
    ok = nook_seccomp:load(G, #{default => allow, rules => [{allow, [chdir]}]}),
    ?assertEqual({error, eacces}, nook:chdir(G, "/")),
    %% and the program it execs is under it too
    ok = nook:execvp(G, ["/bin/sh", "-c", "cd / || exit 7"]),
    {_, _, Exit} = nook_test_lib:collect(G, ?TIMEOUT),
    ?assertEqual({exit_status, 7}, Exit).

kill_process_termsig(Config) ->
    T = ?config(root, Config),
    Kill = #{default => allow, rules => [{kill_process, [uname]}]},
    C = nnp_child(T),
    ok = nook_seccomp:load(C, Kill),
    ok = nook:execvp(C, ["/bin/uname"]),
    ?assertEqual({termsig, C, sigsys}, receive_exit(C)),
    %% a task in call mode dies the same way; its call raises what its parent saw
    K = nnp_child(T),
    ok = nook_seccomp:load(K, #{default => allow, rules => [{kill_process, [chdir]}]}),
    ?assertError({termsig, sigsys}, nook:chdir(K, "/")),
    ?assertEqual({termsig, K, sigsys}, receive_exit(K)).

%% A trapped syscall's name, as a tracer learns it: the SIGSYS stops the tracee, and its
%% siginfo_t says which call.
trap_refused_by_name(Config) ->
    T = ?config(root, Config),
    E = nnp_child(T),
    {ok, Tracer} = nook:fork(T), %% a sibling: a tracer's own event loop reaps its children
    Pid = nook:pidof(E),
    case nook:ptrace(Tracer, ptrace_seize, Pid, 0, 0) of
        {ok, 0, 0, 0} ->
            ok = nook_seccomp:load(E, #{default => allow, rules => [{trap, [uname]}]}),
            ok = nook:execvp(E, ["/bin/uname"]),
            ok = await_tracing_stop(Pid),
            {ok, 0, 0, Info} = nook:ptrace(Tracer, ptrace_getsiginfo, Pid, 0, <<0:(128 * 8)>>),
            Native = native_arch(T),
            ?assertEqual({uname, Native}, nook_seccomp:refused(Tracer, Info)),
            %% deliver the SIGSYS: without a handler it kills
            {ok, 0, 0, _} = nook:ptrace(Tracer, ptrace_cont, Pid, 0, 31),
            ?assertEqual({termsig, E, sigsys}, receive_exit(E)),
            ?assertEqual({error, not_seccomp}, nook_seccomp:refused(Tracer, <<0:(128 * 8)>>)),
            ?assertEqual({error, not_seccomp}, nook_seccomp:refused(Tracer, <<>>));
        {error, Errno} ->
            {skip, "ptrace_seize of a sibling refused here: " ++ atom_to_list(Errno)}
    end.

log_allows(Config) ->
    T = ?config(root, Config),
    C = nnp_child(T),
    ok = nook_seccomp:load(C, #{default => allow, rules => [{log, [uname]}]}),
    ok = nook:execvp(C, ["/bin/uname", "-s"]),
    ?assertEqual({<<"Linux\n">>, <<>>, {exit_status, 0}}, nook_test_lib:collect(C, ?TIMEOUT)),
    ?assertEqual(nomatch, nook_seccomp:audit_record(T, "audit: type=1300 pid=1 arch=c000003e syscall=1 code=0x0")).

%% The kernel log names a logged call; reading it takes privilege (dmesg_restrict, or root).
log_audit_record(Config) ->
    T = ?config(root, Config),
    case os:cmd("dmesg 2>&1 >/dev/null; echo $?") of
        "0\n" ->
            C = nnp_child(T),
            ok = nook_seccomp:load(C, #{default => allow, rules => [{log, [uname]}]}),
            Pid = nook:pidof(C),
            ok = nook:execvp(C, ["/bin/uname", "-s"]),
            {_, _, {exit_status, 0}} = nook_test_lib:collect(C, ?TIMEOUT),
            Native = native_arch(T),
            Records = [R || Line <- string:split(os:cmd("dmesg"), "\n", all),
                            {ok, #{pid := P} = R} <- [nook_seccomp:audit_record(T, Line)],
                            P =:= Pid],
            case Records of
                [] ->
                    {skip, "no audit record in the kernel log (an audit daemon takes them?)"};
                _ ->
                    ?assertMatch([#{syscall := uname, arch := Native, action := log} | _], Records)
            end;
        _ ->
            {skip, "the kernel log is not readable by this user (kernel.dmesg_restrict)"}
    end.

process_option(_Config) ->
    %% nook_process loads nothing unless asked
    ?assertEqual({ok, [{exit_status, 0}]}, nook_stream:run("cd /", nook_process, [])),
    ?assertEqual({ok, [{exit_status, 0}]}, nook_stream:run("cd /", nook_process, [{seccomp, none}])),
    {ok, Events} = nook_stream:run("cd / 2>/dev/null || exit 3", nook_process, [{seccomp, ?NO_CHDIR}]),
    ?assertEqual([{exit_status, 3}], Events),
    ?assertEqual({ok, [{stdout, <<"1\n">>}, {exit_status, 0}]},
                 nook_stream:run("unshare -U true 2>/dev/null; echo $?", nook_process, [{seccomp, default}])).

%% A policy that refuses all but what nook needs to exec and the dynamic loader and true(1)
%% need to run.
allowlist(Config) ->
    T = ?config(root, Config),
    Program = [brk, arch_prctl, mmap, mprotect, munmap, access, faccessat, faccessat2, openat,
               newfstatat, fstat, statx, lseek, close, read, pread64, set_tid_address,
               set_robust_list, rseq, prlimit64, getrandom, futex, exit_group],
    Policy = #{default => kill_process,
               rules => [{allow, lists:usort(nook_seccomp:exec_syscalls() ++ Program)}]},
    C = nnp_child(T),
    ok = nook_seccomp:load(C, Policy),
    ok = nook:execvp(C, ["/bin/true"]),
    ?assertEqual({exit_status, C, 0}, receive_exit(C)),
    %% and one call more than that is fatal
    K = nnp_child(T),
    ok = nook_seccomp:load(K, Policy),
    ok = nook:execvp(K, ["/bin/uname"]),
    ?assertEqual({termsig, K, sigsys}, receive_exit(K)).

%% ---- group unprivileged: the default profile of rootless containers ----

rootless_default_runs_programs(_Config) ->
    ?assertEqual({ok, [{stdout, <<"hi\n">>}, {exit_status, 0}]}, run("echo hi", [])),
    {ok, Ls} = run(["ls", "/usr"], []),
    ?assertEqual({exit_status, 0}, lists:last(Ls)),
    ?assertMatch([_ | _], binary:matches(stdout(Ls), <<"bin">>)),
    case python() of
        true ->
            ?assertEqual({ok, [{stdout, <<"3\n">>}, {exit_status, 0}]},
                         run([?PYTHON, "-c", "print(1 + 2)"], []));
        false ->
            {comment, "no python3"}
    end.

rootless_keyctl(_Config) ->
    case python() of
        true ->
            {ok, Refused} = run([?PYTHON, "-c", ?KEYCTL_PY], []),
            ?assertEqual(<<"-1 1\n">>, stdout(Refused)), %% EPERM
            {ok, Allowed} = run([?PYTHON, "-c", ?KEYCTL_PY], [{seccomp, none}]),
            [Id, Errno] = string:lexemes(stdout(Allowed), " \n"),
            ?assertEqual({<<"0">>, true}, {Errno, binary_to_integer(Id) > 0});
        false ->
            {skip, "no " ?PYTHON " to make the keyctl call"}
    end.

rootless_new_userns(_Config) ->
    case filelib:is_regular("/usr/bin/unshare") of
        true ->
            {ok, Refused} = run("unshare -U true 2>&1; echo $?", []),
            ?assertEqual(<<"unshare: unshare failed: Operation not permitted\n1\n">>, stdout(Refused)),
            ?assertEqual({ok, [{stdout, <<"0\n">>}, {exit_status, 0}]},
                         run("unshare -U true; echo $?", [{seccomp, none}]));
        false ->
            {skip, "no /usr/bin/unshare"}
    end.

rootless_tiocsti(_Config) ->
    case python() of
        true ->
            %% stdin is a pipe: ENOTTY (25) when allowed, EPERM (1) when refused, high bits or not
            {ok, Refused} = run([?PYTHON, "-c", ?TIOCSTI_PY], []),
            ?assertEqual(<<"1 1\n">>, stdout(Refused)),
            {ok, Allowed} = run([?PYTHON, "-c", ?TIOCSTI_PY], [{seccomp, none}]),
            ?assertEqual(<<"25 25\n">>, stdout(Allowed));
        false ->
            {skip, "no " ?PYTHON " to make the ioctl"}
    end.

rootless_kill_process(_Config) ->
    Kill = #{default => allow, rules => [{kill_process, [uname]}]},
    ?assertEqual({ok, [{termsig, sigsys}]}, run(["uname"], [{seccomp, Kill}])).

%% Without no_new_privs the exec task loads the profile with CAP_SYS_ADMIN in its user
%% namespace, which it holds until exec.
rootless_setuid(_Config) ->
    Cmd = "unshare -U true 2>/dev/null; echo $?",
    ?assertEqual({ok, [{stdout, <<"1\n">>}, {exit_status, 0}]}, run(Cmd, [{setuid, true}])),
    ?assertEqual({ok, [{stdout, <<"0\n">>}, {exit_status, 0}]},
                 run(Cmd, [{setuid, true}, {seccomp, none}])).

rootless_bad_policy(_Config) ->
    ?assertEqual({error, {seccomp, {badarg, 42}}},
                 run(["true"], [{seccomp, #{default => allow, rules => [{trap, [42]}]}}])),
    ?assertEqual({error, {seccomp, {unknown_syscall, nosuch}}},
                 run(["true"], [{seccomp, #{default => allow, rules => [{trap, [nosuch]}]}}])),
    ?assertEqual({error, {badopt, {seccomp, strict}}}, run(["true"], [{seccomp, strict}])).

%% ---- helpers ----

%% A child with no_new_privs: it may load filters whatever its privileges.
nnp_child(T) ->
    {ok, C} = nook:fork(T),
    {ok, 0, 1, 0, 0, 0} = nook:prctl(C, pr_set_no_new_privs, 1, 0, 0, 0),
    C.

%% A child without CAP_SYS_ADMIN (root gives its uid away) and without no_new_privs.
unprivileged_child(T) ->
    {ok, C} = nook:fork(T),
    case nook:geteuid(C) of
        0 ->
            ok = nook:setgroups(C, []),
            ok = nook:setresgid(C, ?NOBODY, ?NOBODY, ?NOBODY),
            ok = nook:setresuid(C, ?NOBODY, ?NOBODY, ?NOBODY);
        _ ->
            ok
    end,
    C.

receive_exit(Task) ->
    receive
        {termsig, Task, Sig} -> {termsig, Task, Sig};
        {exit_status, Task, N} -> {exit_status, Task, N}
    after ?TIMEOUT -> timeout
    end.

native_arch(T) ->
    {ok, _, Arch} = nook:seccomp_syscall_name(T, 0, native),
    Arch.

%% The tracee stops when the SIGSYS is about to be delivered.
await_tracing_stop(Pid) ->
    await_tracing_stop(Pid, erlang:monotonic_time(millisecond) + ?TIMEOUT).

await_tracing_stop(Pid, Deadline) ->
    Stat = file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/stat"),
    case Stat of
        {ok, B} ->
            [_, After] = string:split(B, ")", trailing),
            case string:lexemes(After, " ") of
                [<<"t">> | _] -> ok;
                _ -> retry_until(Deadline, fun() -> await_tracing_stop(Pid, Deadline) end)
            end;
        {error, _} = Error ->
            Error
    end.

retry_until(Deadline, Fun) ->
    case erlang:monotonic_time(millisecond) >= Deadline of
        true -> timeout;
        false -> timer:sleep(5), Fun()
    end.

run(Cmd, Config) ->
    nook_stream:run(Cmd, nook_rootless, Config).

stdout(Events) ->
    iolist_to_binary([B || {stdout, B} <- Events]).

python() -> filelib:is_regular(?PYTHON).
