%% SPDX-License-Identifier: ISC
%% @doc Readable seccomp policies: checked here, compiled by libseccomp in priv/nook
%% (nook:seccomp_compile/2), cached, and loaded as the last step before a program runs.
%%
%% A policy is a map:
%% ```
%% #{default => allow,
%%   rules => [{{errno, eperm}, [keyctl, add_key]},
%%             {kill_process, [kexec_load]},
%%             {{errno, eperm}, ioctl, [{1, masked_eq, 16#ffffffff, tiocsti}]}]}
%% '''
%% Actions: `allow | kill_process | kill_thread | trap | log | notify | {errno, Posix}' (Posix
%% a name such as eperm, or a number). `notify' makes the call wait for an answer through
%% the listener of nook:seccomp_load_notify/2 (nook_notify); loaded with seccomp_load/2,
%% which makes none, such a call fails with enosys. A rule is `{Action, Syscalls}' or `{Action, Syscalls, Conds}'
%% with Syscalls a name or a list of names; the conditions of one rule must all hold (each
%% argument compared once): `{Arg, Op, Value}' with Arg 0..5 and Op eq, ne, lt, le, gt, ge,
%% or `{Arg, masked_eq, Mask, Value}' (`Arg band Mask =:= Value'). Values are integers
%% (negative ones as the same 64 bits) or constant names: ioctl requests, clone flags, socket
%% domains and types, prctl options, fcntl commands, open and mount flags, signals.
%%
%% A syscall's rules are unambiguous or refused: a syscall with an unconditional rule may
%% have no other rule with another action (libseccomp would silently let the unconditional
%% one win). When the conditions of two rules with different actions hold at once, which one
%% applies is libseccomp's choice: keep such conditions exclusive.
%%
%% The filter covers the native architecture and its compat ones (x86 and x32 on x86_64, arm
%% on aarch64); the default action applies to every syscall no rule names.
-module(nook_seccomp).

-export([normalize/1, default_profile/0, exec_syscalls/0, pty_rules/0, compiled/2, load/2, ops/2,
         refused/2, audit_record/2]).

-export_type([policy/0, action/0, rule/0, condition/0]).

-type action() :: allow | kill_process | kill_thread | trap | log | notify
                | {errno, atom() | 0..4095}.
-type datum() :: integer() | atom().
-type condition() :: {0..5, eq | ne | lt | le | gt | ge, datum()}
                   | {0..5, masked_eq, datum(), datum()}.
-type rule() :: {action(), atom() | [atom()]} | {action(), atom() | [atom()], [condition()]}.
-type policy() :: #{default := action(), rules => [rule()]}.
%% What priv/nook compiles (seccomp_policy.h): one syscall per rule, four-field conditions.
-type normalized() :: {action(), [{action(), atom(), [{0..5, atom(), datum(), datum()}]}]}.

-define(ACTIONS, [allow, kill_process, kill_thread, trap, log, notify]).
-define(COMPARE, [eq, ne, lt, le, gt, ge]).
-define(MASK32, 16#ffffffff).
%% si_code of a SIGSYS sent by seccomp; SIGSYS is 31 on Linux but for mips, sparc, alpha (12).
-define(SYS_SECCOMP, 1).
-define(IS_SIGSYS(Signo), (Signo =:= 31 orelse Signo =:= 12)).

%% ---- policies ----

%% @doc The policy in the form priv/nook compiles, or `error({badarg, BadElement})'.
-spec normalize(policy()) -> normalized().
normalize(#{default := Default} = Policy) ->
    case maps:keys(maps:without([default, rules], Policy)) of
        [] -> ok;
        [Key | _] -> erlang:error({badarg, {Key, maps:get(Key, Policy)}})
    end,
    ok = check_action(Default),
    Rules = maps:get(rules, Policy, []),
    is_list(Rules) andalso length_ok(Rules) orelse erlang:error({badarg, {rules, Rules}}),
    Flat = lists:append([rule(R) || R <- Rules]),
    ok = check_conflicts(Flat),
    {Default, [{Action, Syscall, Conds} || {_Rule, Action, Syscall, Conds} <- Flat]};
normalize(Policy) ->
    erlang:error({badarg, Policy}).

length_ok(List) ->
    try length(List) of _ -> true
    catch error:badarg -> false
    end.

check_action(A) when is_atom(A) ->
    lists:member(A, ?ACTIONS) orelse erlang:error({badarg, A}),
    ok;
check_action({errno, E}) when is_atom(E); is_integer(E), E >= 0, E =< 4095 ->
    ok;
check_action(A) ->
    erlang:error({badarg, A}).

%% One {Rule, Action, Syscall, Conds} per syscall named, Rule kept for error reports.
rule({Action, Syscalls} = Rule) ->
    rule(Rule, Action, Syscalls, []);
rule({Action, Syscalls, Conds} = Rule) ->
    rule(Rule, Action, Syscalls, Conds);
rule(Rule) ->
    erlang:error({badarg, Rule}).

rule(Rule, Action, Syscalls, Conds) ->
    ok = check_action(Action),
    Names = case Syscalls of
                [_ | _] -> Syscalls;
                Name when is_atom(Name) -> [Name];
                _ -> erlang:error({badarg, Rule})
            end,
    length_ok(Names) orelse erlang:error({badarg, Rule}),
    [is_atom(N) orelse erlang:error({badarg, N}) || N <- Names],
    is_list(Conds) andalso length_ok(Conds) orelse erlang:error({badarg, Rule}),
    Normal = [condition(C) || C <- Conds],
    Args = [Arg || {Arg, _, _, _} <- Normal],
    length(lists:usort(Args)) =:= length(Args) orelse erlang:error({badarg, Rule}),
    [{Rule, Action, N, Normal} || N <- Names].

condition({Arg, masked_eq, Mask, Value} = C) ->
    ok = check_arg(Arg, C),
    ok = check_datum(Mask, C),
    ok = check_datum(Value, C),
    {Arg, masked_eq, Mask, Value};
condition({Arg, Op, Value} = C) ->
    ok = check_arg(Arg, C),
    lists:member(Op, ?COMPARE) orelse erlang:error({badarg, C}),
    ok = check_datum(Value, C),
    {Arg, Op, Value, 0};
condition(C) ->
    erlang:error({badarg, C}).

check_arg(Arg, _C) when is_integer(Arg), Arg >= 0, Arg =< 5 -> ok;
check_arg(_Arg, C) -> erlang:error({badarg, C}).

check_datum(V, _C) when is_atom(V) -> ok;
check_datum(V, _C) when is_integer(V), V >= -(1 bsl 63), V < (1 bsl 64) -> ok;
check_datum(_V, C) -> erlang:error({badarg, C}).

%% An unconditional rule decides its syscall alone: another action for it is a contradiction.
check_conflicts(Flat) ->
    check_conflicts(Flat, #{}).

check_conflicts([], _Seen) ->
    ok;
check_conflicts([{Rule, Action, Syscall, Conds} | Rest], Seen) ->
    Before = maps:get(Syscall, Seen, []),
    Clash = [A || {A, C} <- Before, A =/= Action, C =:= [] orelse Conds =:= []],
    Clash =:= [] orelse erlang:error({badarg, Rule}),
    check_conflicts(Rest, Seen#{Syscall => [{Action, Conds} | Before]}).

%% @doc What nook_rootless loads by default: EPERM for the calls a sandboxed program has no
%% business making (the README says why each one is here). Everything else is allowed.
-spec default_profile() -> policy().
default_profile() ->
    #{default => allow,
      rules =>
          [%% the kernel keyring is not isolated by user namespaces: keys of the same user leak
           {{errno, eperm}, [keyctl, add_key, request_key]},
           %% kernel attack surface and side channels, of no use to an ordinary program
           {{errno, eperm}, [bpf, perf_event_open, userfaultfd]},
           {{errno, eperm}, [io_uring_setup, io_uring_enter, io_uring_register]},
           %% changing the kernel, its modules, its swap or its accounting
           {{errno, eperm}, [kexec_load, kexec_file_load, init_module, finit_module,
                             delete_module, reboot, swapon, swapoff, acct]},
           %% the host's kernel log
           {{errno, eperm}, [syslog]},
           %% files by handle bypass the mount tree (the "shocker" escape)
           {{errno, eperm}, [open_by_handle_at]},
           %% no new user namespace from inside: it brings back every capability
           {{errno, eperm}, clone, [{0, masked_eq, clone_newuser, clone_newuser}]},
           {{errno, eperm}, unshare, [{0, masked_eq, clone_newuser, clone_newuser}]},
           %% clone3 passes its flags in memory a filter cannot read: ENOSYS makes libc fall
           %% back to clone, which the rule above sees
           {{errno, enosys}, [clone3]},
           %% typing into the terminal's input queue, or the console's: the request is 32 bits
           %% however wide the argument, so the upper half is masked off
           {{errno, eperm}, ioctl, [{1, masked_eq, ?MASK32, tiocsti}]},
           {{errno, eperm}, ioctl, [{1, masked_eq, ?MASK32, tioclinux}]}]}.

%% @doc The syscalls nook itself makes between loading a filter and exec (answering the load,
%% taking the exec call, resetting signals, marking fds close-on-exec; nook_stream's `cd'
%% and `stderr_to_stdout': chdir, close, fcntl): a policy whose default refuses must allow
%% these, besides what the program needs.
-spec exec_syscalls() -> [atom()].
exec_syscalls() ->
    [read, write, poll, ppoll, brk, mmap, munmap, rt_sigaction, rt_sigprocmask, close_range,
     fcntl, execve, exit_group, chdir, close].

%% @doc What nook_stream's `{pty, _}' adds between the load and exec: the terminal's
%% secondary opened, made the controlling terminal and sized (two ioctl requests, not every
%% one: TIOCSTI stays out), then made fds 0, 1 and 2. Rules for a policy that refuses by
%% default to add to its own, beside exec_syscalls/0.
-spec pty_rules() -> [rule()].
pty_rules() ->
    [{allow, [open, openat, dup2, dup3]},
     {allow, ioctl, [{1, masked_eq, ?MASK32, tiocsctty}]},
     {allow, ioctl, [{1, masked_eq, ?MASK32, tiocswinsz}]}].

%% ---- compiling and loading ----

%% @doc The policy compiled by Task's process, once per policy and node: later calls get the
%% same binary from a persistent_term (one entry per distinct policy, kept while the node
%% lives). Compile in a task that may make calls (an exec task, before exec), not in a
%% filtered supervisor.
-spec compiled(nook:task(), policy()) -> {ok, binary()} | {error, term()}.
compiled(Task, Policy) ->
    Normal = normalize(Policy),
    Key = cache_key(node(Task), Normal),
    case persistent_term:get(Key, undefined) of
        undefined ->
            case nook:call(Task, seccomp_compile, [Normal]) of
                {ok, BPF} = Ok ->
                    persistent_term:put(Key, BPF),
                    Ok;
                {error, _} = Error ->
                    Error
            end;
        BPF ->
            {ok, BPF}
    end.

%% @doc Compile (or take from the cache) and load Policy into Task's process.
-spec load(nook:task(), policy()) -> ok | {error, term()}.
load(Task, Policy) ->
    case compiled(Task, Policy) of
        {ok, BPF} ->
            case nook:seccomp_load(Task, BPF) of
                ok -> ok;
                {error, eacces} -> {error, {eacces, needs_no_new_privs_or_cap_sys_admin}};
                {error, _} = Error -> Error
            end;
        {error, _} = Error ->
            Error
    end.

%% @doc The op that loads the configured policy: `{seccomp, default | none | Policy}' in
%% Config (`default': default_profile/0). When Config says nothing: Default, or, where
%% Default is `default' (nook_rootless, nook_container), the application's `seccomp' setting
%% if there is one. A malformed policy fails that op with `{badarg, Element}'. For tasks of
%% this node (see load_op/2).
-spec ops(nook_behaviour:config(), default | none) -> [nook_op:op()].
ops(Config, Default) ->
    Choice = case proplists:lookup(seccomp, Config) of
                 {seccomp, Configured} -> Configured;
                 none when Default =:= default -> application:get_env(nook, seccomp, default);
                 none -> Default
             end,
    case Choice of
        none -> [];
        default -> load_op(Config, default_profile());
        Policy -> load_op(Config, Policy)
    end.

%% A policy this node has compiled before goes as a plain call, in the batch with the ops
%% before it; load/2 compiles it, and explains the eacces a process without no_new_privs
%% (`{setuid, true}') may get. The cached program is this node's: ops/2 is for tasks of this
%% node, as behaviours make them (a task of another node, maybe of another architecture,
%% takes load/2 and its own node's compile).
load_op(Config, Policy) ->
    Cached = try persistent_term:get(cache_key(node(), normalize(Policy)), undefined)
             catch error:_ -> undefined
             end,
    case {Cached, proplists:get_value(setuid, Config, false)} of
        {BPF, false} when is_binary(BPF) -> [{seccomp_load, [BPF]}];
        _ -> [{?MODULE, load, [Policy]}]
    end.

cache_key(Node, Normal) -> {?MODULE, Node, erlang:md5(term_to_binary(Normal))}.

%% ---- what was refused ----
%%
%% `kill_process', `kill_thread' and `trap' end a program that has no SIGSYS handler of its
%% own with `{termsig, Task, sigsys}' (the kernel forces a seccomp SIGSYS through any block or
%% ignore, so a task in call mode is killed too, whatever sigaction/3 set). Which syscall it
%% was is in the SIGSYS's siginfo_t, which only a tracer sees: refused/2 reads it. `log' and
%% the kill actions also leave a kernel audit record (type 1326), in the kernel log unless an
%% audit daemon takes it: audit_record/2 reads one, for those allowed to read the log.

%% @doc The syscall a `trap' rule refused, from the siginfo_t of its SIGSYS (as
%% ptrace_getsiginfo returns it): `{Name, Arch}', names resolved by Task's process.
%% `{error, not_seccomp}' for a siginfo_t of anything else.
-spec refused(nook:task(), binary()) ->
    {atom() | integer(), atom() | integer()} | {error, not_seccomp}.
refused(Task, Info) ->
    %% si_signo, si_errno, si_code, then the union at pointer alignment, whose _sigsys is
    %% {void *call_addr; int syscall; unsigned arch}.
    Union = case erlang:system_info(wordsize) of
                8 -> 16;
                4 -> 12
            end,
    Skip = Union - 12 + erlang:system_info(wordsize),
    case Info of
        <<Signo:32/native, _Errno:32/native, ?SYS_SECCOMP:32/signed-native, _:Skip/binary,
          Nr:32/signed-native, Arch:32/native, _/binary>> when ?IS_SIGSYS(Signo) ->
            case nook:seccomp_syscall_name(Task, Nr, Arch) of
                {ok, Name, ArchName} -> {Name, ArchName};
                {error, _} -> {Nr, Arch}
            end;
        _ ->
            {error, not_seccomp}
    end.

%% @doc The syscall, architecture and action of a kernel audit record of type 1326 (SECCOMP),
%% a line as dmesg, journalctl -k or audit.log show it; names resolved by Task's process.
-spec audit_record(nook:task(), iodata()) ->
    {ok, #{pid := integer(), syscall := atom() | integer(), arch := atom() | integer(),
           action := atom() | {errno, integer()} | integer()}}
    | nomatch.
audit_record(Task, Line) ->
    Field = fun(Name, Pattern) ->
                    case re:run(Line, [" ", Name, "=", Pattern, "\\b"],
                                [{capture, all_but_first, list}]) of
                        {match, [Value]} -> Value;
                        nomatch -> nomatch
                    end
            end,
    case {re:run(Line, "type=1326\\b", [{capture, none}]), Field("pid", "([0-9]+)"),
          Field("arch", "([0-9a-f]+)"), Field("syscall", "([0-9]+)"),
          Field("code", "0x([0-9a-f]+)")} of
        {match, Pid, Arch, Nr, Code} when Pid =/= nomatch, Arch =/= nomatch, Nr =/= nomatch,
                                          Code =/= nomatch ->
            ArchInt = list_to_integer(Arch, 16),
            NrInt = list_to_integer(Nr),
            {Name, ArchName} = case nook:seccomp_syscall_name(Task, NrInt, ArchInt) of
                                   {ok, N, A} -> {N, A};
                                   {error, _} -> {NrInt, ArchInt}
                               end,
            {ok, #{pid => list_to_integer(Pid), syscall => Name, arch => ArchName,
                   action => action_of(list_to_integer(Code, 16))}};
        _ ->
            nomatch
    end.

%% SECCOMP_RET_* (linux/seccomp.h): the action in the upper half, its data in the lower.
action_of(Code) ->
    case Code band 16#ffff0000 of
        16#80000000 -> kill_process;
        16#00000000 -> kill_thread;
        16#00030000 -> trap;
        16#00050000 -> {errno, Code band 16#ffff};
        16#7fc00000 -> user_notif;
        16#7ff00000 -> trace;
        16#7ffc0000 -> log;
        16#7fff0000 -> allow;
        _ -> Code
    end.
