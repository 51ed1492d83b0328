%% SPDX-License-Identifier: ISC
%% @doc What a program starts with, as nook_stream sets it in the task that execs: its
%% working directory (`cd'), its environment (`env', `clearenv') and its stderr merged into
%% its stdout (`stderr_to_stdout'), under nook_process and nook_rootless (group
%% unprivileged, which bin/test runs again as an unprivileged user) and nook_container
%% (group root).
-module(nook_environ_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
%% group unprivileged
-export([cd_process/1, cd_rootless_is_inside/1, cd_missing/1, cd_under_deny_policy/1,
         env_set_and_replace/1, env_unset/1, env_binaries/1, clearenv_process/1,
         clearenv_rootless/1, stderr_to_stdout_order/1, stderr_to_stdout_rootless/1,
         stderr_apart_by_default/1, all_at_once/1]).
%% group root
-export([cd_container/1, stderr_to_stdout_container/1]).

suite() -> [{timetrap, {seconds, 60}}].

all() ->
    [{group, unprivileged}, {group, root}].

groups() ->
    [{unprivileged, [],
      [cd_process, cd_rootless_is_inside, cd_missing, cd_under_deny_policy,
       env_set_and_replace, env_unset, env_binaries, clearenv_process, clearenv_rootless,
       stderr_to_stdout_order, stderr_to_stdout_rootless, stderr_apart_by_default,
       all_at_once]},
     {root, [], [cd_container, stderr_to_stdout_container]}].

init_per_group(root, Config) ->
    nook_test_lib:root_or_skip(Config);
init_per_group(unprivileged, Config) ->
    nook_test_lib:userns_or_skip(Config).

end_per_group(_Group, _Config) -> ok.

init_per_testcase(Case, Config) ->
    Root = nook_test_lib:case_root(Case, Config),
    [{path, Root} | Config].

end_per_testcase(_Case, _Config) ->
    ok.

%% ---- cd ----

cd_process(Config) ->
    Dir = string:trim(?config(priv_dir, Config), trailing, "/"),
    ?assertEqual({out(Dir ++ "\n"), <<>>, {exit_status, 0}},
                 run("pwd", nook_process, [{cd, Dir}])),
    %% a relative directory starts from the task's, which is the BEAM's
    {Here, <<>>, {exit_status, 0}} = run(["/bin/pwd", "-P"], nook_process, []),
    Parent = filename:dirname(string:trim(binary_to_list(Here))),
    ?assertEqual({out(Parent ++ "\n"), <<>>, {exit_status, 0}},
                 run(["/bin/pwd", "-P"], nook_process, [{cd, ".."}])).

cd_rootless_is_inside(Config) ->
    %% /home is a tmpfs of the container's own; the suite's directory is not in it at all
    ?assertEqual({<<"/home\n">>, <<>>, {exit_status, 0}},
                 run("pwd", nook_rootless, [{cd, "/home"} | rootless(Config)])),
    Host = ?config(priv_dir, Config),
    ?assertEqual({error, {cd, Host, enoent}},
                 nook_stream:run("pwd", nook_rootless, [{cd, Host} | rootless(Config)])).

cd_missing(Config) ->
    Missing = filename:join(?config(priv_dir, Config), "missing"),
    ?assertEqual({error, {cd, Missing, enoent}},
                 nook_stream:run("pwd", nook_process, [{cd, Missing}])),
    %% a failed start leaves no stream behind, nor a program
    ?assertEqual([], supervisor:which_children(nook_stream_sup)).

cd_under_deny_policy(Config) ->
    %% What nook does between the filter's load and exec is in exec_syscalls/0, the cd and
    %% the merge of stderr included: a policy refusing all else still starts the program.
    Policy = #{default => {errno, eperm},
               rules => [{allow, lists:usort(nook_seccomp:exec_syscalls() ++ program_calls())}]},
    ?assertEqual({<<>>, <<>>, {exit_status, 0}},
                 run(["/bin/true"], nook_rootless,
                     [{cd, "/tmp"}, {seccomp, Policy}, {stderr_to_stdout, true}
                      | rootless(Config)])).

%% ---- env, clearenv ----

env_set_and_replace(_Config) ->
    {Out, <<>>, {exit_status, 0}} =
        run("echo $NOOK_A $NOOK_B; echo $PATH", nook_process,
            [{env, [{"NOOK_A", "one"}, {"PATH", "/usr/bin:/bin"}, {"NOOK_B", "two"},
                    {"NOOK_A", "three"}]}]),
    ?assertEqual(<<"three two\n/usr/bin:/bin\n">>, Out),
    %% on top of the behaviour's own environment: the container's HOME stays
    {Inside, <<>>, {exit_status, 0}} =
        run("echo $HOME $NOOK_A", nook_rootless, [{env, [{"NOOK_A", "a"}]}]),
    ?assertEqual(<<"/home a\n">>, Inside).

env_unset(_Config) ->
    {Out, <<>>, {exit_status, 0}} =
        run(["/usr/bin/env"], nook_rootless, [{env, [{"HOME", false}, {"NOOK_X", "x"}]}]),
    Names = [hd(string:split(L, "=")) || L <- lines(Out)],
    ?assertNot(lists:member(<<"HOME">>, Names)),
    ?assert(lists:member(<<"NOOK_X">>, Names)),
    ?assert(lists:member(<<"PATH">>, Names)).

env_binaries(_Config) ->
    %% names and values as binaries or strings, unicode in either
    {Out, <<>>, {exit_status, 0}} =
        run("echo $NOOK_U", nook_process, [{env, [{<<"NOOK_U">>, <<"caf", 16#c3, 16#a9>>}]}]),
    ?assertEqual(<<"caf", 16#c3, 16#a9, "\n">>, Out),
    {Out2, <<>>, {exit_status, 0}} =
        run("echo $NOOK_U", nook_process, [{env, [{"NOOK_U", [$c, $a, $f, 16#e9]}]}]),
    ?assertEqual(Out, Out2).

clearenv_process(_Config) ->
    ?assertEqual([<<"NOOK_ONLY=1">>], env_of(nook_process, [{clearenv, true},
                                                            {env, [{"NOOK_ONLY", "1"}]}])),
    ?assertEqual([], env_of(nook_process, [{clearenv, true}])).

clearenv_rootless(Config) ->
    ?assertEqual([<<"NOOK_ONLY=1">>],
                 env_of(nook_rootless, [{clearenv, true}, {env, [{"NOOK_ONLY", "1"}]}
                                        | rootless(Config)])).

%% ---- stderr_to_stdout ----

stderr_to_stdout_order(_Config) ->
    Script = "for i in 1 2 3 4 5 6 7 8; do echo out$i; echo err$i >&2; done",
    {Out, Err, {exit_status, 0}} = run(Script, nook_process, [{stderr_to_stdout, true}]),
    ?assertEqual(<<>>, Err),
    ?assertEqual(iolist_to_binary([["out", I, "\nerr", I, "\n"] || I <- "12345678"]), Out).

stderr_to_stdout_rootless(Config) ->
    ?assertEqual({<<"1\n2\n3\n">>, <<>>, {exit_status, 3}},
                 run("echo 1; echo 2 >&2; echo 3; exit 3", nook_rootless,
                     [{stderr_to_stdout, true} | rootless(Config)])).

stderr_apart_by_default(_Config) ->
    ?assertEqual({<<"1\n3\n">>, <<"2\n">>, {exit_status, 0}},
                 run("echo 1; echo 2 >&2; echo 3", nook_process, [])).

all_at_once(Config) ->
    ?assertEqual({<<"/tmp x\noops\n">>, <<>>, {exit_status, 0}},
                 run("echo $(pwd) $NOOK_V; echo oops >&2", nook_rootless,
                     [{cd, "/tmp"}, {env, [{"NOOK_V", "x"}]}, {stderr_to_stdout, true}
                      | rootless(Config)])).

%% ---- as root: a container ----

cd_container(Config) ->
    ?assertEqual({<<"/tmp\n65534\n">>, <<>>, {exit_status, 0}},
                 run("pwd; id -u", nook_container, [{cd, "/tmp"} | rootless(Config)])).

stderr_to_stdout_container(Config) ->
    ?assertEqual({<<"a\nb\n">>, <<>>, {exit_status, 0}},
                 run("echo a >&2; echo b", nook_container,
                     [{stderr_to_stdout, true} | rootless(Config)])).

%% ---- helpers ----

run(Cmd, Behaviour, Opts) ->
    {ok, Events} = nook_stream:run(Cmd, Behaviour, Opts),
    nook_test_lib:events(Events).

rootless(Config) -> [{path, ?config(path, Config)}].

out(String) -> unicode:characters_to_binary(String).

lines(Bin) -> binary:split(Bin, <<"\n">>, [global, trim_all]).

%% The environment a program gets, but for the PWD the shell before it sets.
env_of(Behaviour, Opts) ->
    {Out, <<>>, {exit_status, 0}} = run(["/usr/bin/env"], Behaviour, Opts),
    [L || L <- lines(Out), not lists:prefix("PWD=", binary_to_list(L))].

%% What /bin/sh and true(1) need to start, beyond nook's own calls (x86_64 and aarch64
%% names: a policy names calls of any architecture it covers).
program_calls() ->
    [brk, arch_prctl, mmap, mprotect, munmap, access, faccessat, faccessat2, openat,
     newfstatat, fstat, statx, lseek, close, read, pread64, set_tid_address, set_robust_list,
     rseq, prlimit64, getrandom, futex, exit_group, getpid, getppid, geteuid, getuid, getegid,
     getgid, getcwd, rt_sigreturn, uname, ioctl, wait4, dup2, dup3].
