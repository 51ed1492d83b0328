%% SPDX-License-Identifier: ISC
%% @doc prx code runs on nook unchanged: nook driven through the prx module of compat/prx,
%% built here as a project would build it, with prx 1.0.1's documented behaviours. Group
%% `unprivileged' holds for any user (bin/test runs it again as one); group `projects'
%% builds a rebar3 and a mix project whose prx dependency is compat/prx, as the README says.
%%
%% unprivileged: yes
-module(nook_prx_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_suite/1, end_per_suite/1, init_per_group/2,
         end_per_group/2, init_per_testcase/2, end_per_testcase/2]).
%% group unprivileged
-export([generated_from_nook/1, supervisor_filter_names_procctl/1, eof_allowed_by_close/1,
         sudo_takes_iodata/1, fork_error_is_posix/1, cmd_and_sh/1, task_runs_ops/1,
         task_error_stops_child/1, sig_info_fun/1, cmd_keeps_sig_fun/1, atexit_fun/1, setrlimit_cur_or_max/1,
         raw_fork_refused/1, stdin_full_pipe/1, sighup_from_shell/1, constants/1, fexecve/1,
         select/1, reexec/1]).
%% group projects
-export([rebar3_project/1, mix_project/1]).
%% an op of task_runs_ops
-export([cwd_is/3]).

%% The contract: gone within a second.
-define(GONE_MS, 1000).
%% How long a case waits for something that should happen at once; only a failure guard.
-define(GUARD_MS, 10000).

suite() -> [{timetrap, {seconds, 120}}].

all() -> [{group, unprivileged}, {group, projects}].

groups() ->
    [{unprivileged, [],
      [generated_from_nook, supervisor_filter_names_procctl, eof_allowed_by_close,
       sudo_takes_iodata, fork_error_is_posix, cmd_and_sh, task_runs_ops, task_error_stops_child,
       sig_info_fun, cmd_keeps_sig_fun, atexit_fun, setrlimit_cur_or_max, raw_fork_refused, stdin_full_pipe,
       sighup_from_shell, constants, fexecve, select, reexec]},
     {projects, [], [rebar3_project, mix_project]}].

%% compat/prx built as rebar3 or mix builds it: prx_forward first, then the modules it writes
%% from nook's exports.
init_per_suite(Config) ->
    Out = filename:join(?config(priv_dir, Config), "prx_ebin"),
    ok = filelib:ensure_path(Out),
    Src = filename:join([root(), "compat", "prx", "src"]),
    Opts = [{outdir, Out}, debug_info, report, warnings_as_errors],
    {ok, prx_forward} = compile:file(filename:join(Src, "prx_forward.erl"), Opts),
    true = code:add_patha(Out),
    [{ok, M} = compile:file(filename:join(Src, atom_to_list(M)), Opts)
     || M <- [prx, prx_drv, prx_task]],
    [{module, M} = code:load_file(M) || M <- [prx, prx_drv, prx_task]],
    Config.

end_per_suite(_Config) ->
    [begin code:purge(M), code:delete(M) end || M <- [prx, prx_drv, prx_task, prx_forward]],
    ok.

init_per_group(_Group, Config) -> Config.

end_per_group(_Group, _Config) -> ok.

init_per_testcase(_Case, Config) ->
    {ok, Root} = prx:fork(),
    [{root, Root} | Config].

end_per_testcase(_Case, Config) ->
    ok = prx:sudo(""),
    prx:stop(?config(root, Config)).

%% The checkout: _build/<profile>/lib/nook is four levels below it.
root() ->
    filename:dirname(filename:dirname(filename:dirname(filename:dirname(code:lib_dir(nook))))).

%% ---- unprivileged ----

generated_from_nook(_Config) ->
    %% Every function nook exports, no more: nothing of it is kept by hand.
    Exports = fun(M) -> lists:sort(M:module_info(exports) -- [{module_info, 0}, {module_info, 1}]) end,
    ?assertEqual(Exports(nook), Exports(prx)),
    ?assertEqual(nook_port:progname(), prx_drv:progname()),
    ?assert(filelib:is_regular(prx_drv:progname())).

supervisor_filter_names_procctl(Config) ->
    %% The first supervisor most prx programs set up: procctl is FreeBSD's.
    {ok, Sup} = prx:fork(?config(root, Config)),
    ok = prx:filter(Sup, {allow, [close, exit, fork, getpid, kill, setcpid, sigaction, clone,
                                  procctl]}, []),
    {ok, C} = prx:fork(Sup),
    ok = prx:execvp(C, ["/bin/echo", "supervised"]),
    ?assertEqual({<<"supervised\n">>, <<>>, {exit_status, 0}}, nook_test_lib:collect(C, ?GUARD_MS)),
    ?assertError(undef, prx:getcwd(Sup)),
    ?assertEqual(prx:pidof(Sup), prx:getpid(Sup)).

eof_allowed_by_close(Config) ->
    {ok, Sup} = prx:fork(?config(root, Config)),
    ok = prx:filter(Sup, {allow, [close, fork, getpid]}, []),
    {ok, C} = prx:fork(Sup),
    ok = prx:execvp(C, ["cat"]),
    ok = prx:stdin(C, <<"closed by a close\n">>),
    ok = prx:eof(C),
    ?assertEqual({<<"closed by a close\n">>, <<>>, {exit_status, 0}},
                 nook_test_lib:collect(C, ?GUARD_MS)).

sudo_takes_iodata(_Config) ->
    %% env(1) runs its arguments: a prefix that any user has.
    ok = prx:sudo(<<"/usr/bin/env">>),
    {ok, T} = prx:fork(),
    ?assertEqual(prx:pidof(T), prx:getpid(T)),
    ok = prx:stop(T),
    ok = prx:sudo([<<"/usr/bin/">>, "env", <<" -u NOOK_NONE">>]),
    {ok, T2} = prx:fork(),
    ?assertEqual(prx:pidof(T2), prx:getpid(T2)),
    ok = prx:stop(T2).

fork_error_is_posix(_Config) ->
    %% prx's shape, never a stack trace; and no link is left that could kill the caller.
    Links = process_info(self(), links),
    ok = prx:sudo(<<"/nonexistent/sudo -n">>),
    ?assertEqual({error, enoent}, prx:fork()),
    ok = prx:sudo("false"),
    ?assertEqual({error, eagain}, prx:fork()),
    ?assertEqual(Links, process_info(self(), links)).

cmd_and_sh(Config) ->
    {ok, T} = prx:fork(?config(root, Config)),
    ?assertEqual(<<"test\n">>, prx:cmd(T, ["/bin/echo", "test"])),
    ?assertEqual(<<"test\n">>, prx:cmd(T, ["echo", "test"])),
    ?assertEqual(<<"out\nerr\n">>, prx:sh(T, "echo out; echo err >&2; exit 3")),
    ?assertEqual({error, enoent}, prx:cmd(T, ["/nonexistent/program"])),
    %% a child that cannot be made ready (its calls filtered) is not left behind
    {ok, F} = prx:fork(T),
    ok = prx:filter(F, [], [sigaction]),
    ?assertError(undef, prx:cmd(F, ["true"])),
    ?assertEqual([], prx:cpid(F)),
    ok = prx:stop(F),
    %% the task's own dispositions are back (caught, as in every process in call mode), and it
    %% serves on
    ?assertEqual({ok, sig_info}, prx:sigaction(T, sigquit, [])),
    ?assertEqual(prx:pidof(T), prx:getpid(T)),
    ?assertEqual([], prx:cpid(T)).

task_runs_ops(Config) ->
    Root = ?config(root, Config),
    Ops = [{chdir, ["/"]},
           {prx, setsid, [], [{errexit, false}]},
           [{setpgid, [0, 0], [{errexit, false}]}, {prx, getcwd, []}],
           {?MODULE, cwd_is, [<<"/">>], [state]}],
    {ok, C} = prx:task(Root, Ops, []),
    ?assertEqual({ok, <<"/">>}, prx:getcwd(C)),
    {ok, C2} = prx:task(Root, [{chdir, ["/tmp"]}], [], [{init, fun prx:fork/1}]),
    ?assertEqual({ok, <<"/tmp">>}, prx:getcwd(C2)),
    ok = prx_task:with(C2, [{chdir, ["/"]}], []),
    ?assertEqual({ok, <<"/">>}, prx:getcwd(C2)).

%% An op given the state: the last {ok, Value} before it.
cwd_is(Cwd, _Task, Cwd) -> ok;
cwd_is(Other, _Task, Cwd) -> {error, {cwd, Other, Cwd}}.

task_error_stops_child(Config) ->
    Root = ?config(root, Config),
    Self = self(),
    Terminate = fun(Parent, Child) -> Self ! {terminate, Parent, Child, prx:pidof(Child)},
                                      prx:stop(Child) end,
    ?assertEqual({error, enoent},
                 prx:task(Root, [{chdir, ["/nonexistent"]}, {chdir, ["/"]}], [],
                          [{terminate, Terminate}])),
    {Child, Pid} = receive {terminate, Root, C, P} -> {C, P} after ?GUARD_MS -> error(no_terminate) end,
    ?assertNot(is_process_alive(Child)),
    ?assertNot(nook_test_lib:exists(Pid) andalso nook_proc:alive(Pid)),
    %% the default terminate stops it too
    ?assertEqual({error, enoent}, prx:task(Root, [{chdir, ["/nonexistent"]}], [])),
    ?assertEqual([], prx:cpid(Root)).

sig_info_fun(Config) ->
    %% The fun runs instead of the message and acts through prx_drv:call/4.
    {ok, T} = prx:fork(?config(root, Config)),
    Self = self(),
    Fun = fun(Drv, Pipeline, Sig, Info) ->
                  Self ! {sig_fun, Sig, byte_size(Info), prx_drv:call(Drv, Pipeline, getpid, [])}
          end,
    {ok, _} = prx:sigaction(T, sigusr1, {sig_info, Fun}),
    ?assertEqual({ok, sig_info}, prx:sigaction(T, sigusr1, [])),
    ok = prx:kill(?config(root, Config), prx:pidof(T), sigusr1),
    Pid = prx:pidof(T),
    receive {sig_fun, sigusr1, Size, Pid} -> ?assert(Size >= 128)
    after ?GUARD_MS -> error(no_sig_fun)
    end,
    ?assertEqual(nothing, receive {signal, T, _, _} = M -> M after 100 -> nothing end),
    %% another disposition ends the fun: caught again, the signal is a message
    {ok, sig_info} = prx:sigaction(T, sigusr1, sig_ign),
    {ok, sig_ign} = prx:sigaction(T, sigusr1, sig_info),
    ok = prx:kill(?config(root, Config), Pid, sigusr1),
    receive {signal, T, sigusr1, _} -> ok
    after ?GUARD_MS -> error(no_signal_message)
    end,
    ?assertEqual(nothing, receive {sig_fun, _, _, _} = F -> F after 100 -> nothing end),
    %% a fun whose disposition is refused is not kept (no map of the task's holds it)
    ?assertMatch({error, _}, prx:sigaction(T, sigkill, {sig_info, Fun})),
    {_, Data} = sys:get_state(T),
    ?assertEqual([], [M || M <- tuple_to_list(Data), is_map(M), is_map_key(sigkill, M)]),
    ?assertError(badarg, prx:sigaction(T, 10, {sig_info, not_a_fun})).

cmd_keeps_sig_fun(Config) ->
    %% cmd/2 ignores SIGINT while its program runs, then restores it: a fun the task had
    %% for SIGINT is still the one that runs afterwards.
    {ok, T} = prx:fork(?config(root, Config)),
    Self = self(),
    {ok, _} = prx:sigaction(T, sigint, {sig_info, fun(_, _, Sig, _) -> Self ! {sig_fun, Sig} end}),
    ?assertEqual(<<"x\n">>, prx:cmd(T, ["/bin/echo", "x"])),
    ?assertEqual({ok, sig_info}, prx:sigaction(T, sigint, [])),
    ok = prx:kill(?config(root, Config), prx:pidof(T), sigint),
    ?assertEqual({sig_fun, sigint},
                 receive {sig_fun, _} = F -> F; {signal, T, _, _} = M -> M after ?GUARD_MS -> none end).

atexit_fun(Config) ->
    Root = ?config(root, Config),
    {ok, T} = prx:fork(Root),
    {ok, C} = prx:fork(T),
    Self = self(),
    ok = prx:atexit(T, fun(Drv, Pipeline, Cpid) ->
                               Self ! {atexit, Drv, Pipeline, Cpid,
                                       prx_drv:call(Drv, Pipeline, getpid, [])}
                       end),
    Drv = prx:drv(T),
    ?assert(is_pid(Drv)),
    Pid = prx:pidof(C),
    TPid = prx:pidof(T),
    Pipeline = prx:pipeline(T),
    ok = prx:stop(C),
    receive {atexit, Drv, Pipeline, #{pid := Pid}, TPid} -> ok
    after ?GUARD_MS -> error(no_atexit)
    end,
    %% drv/1 is the owner's, like every call
    Other = spawn_call(fun() -> prx:drv(T) end),
    ?assertMatch({'EXIT', {eacces, _}}, Other).

setrlimit_cur_or_max(Config) ->
    {ok, T} = prx:fork(?config(root, Config)),
    {ok, #{max := Max}} = prx:getrlimit(T, rlimit_core),
    ok = prx:setrlimit(T, rlimit_core, #{cur => 0}),
    ?assertEqual({ok, #{cur => 0, max => Max}}, prx:getrlimit(T, rlimit_core)),
    ok = prx:setrlimit(T, rlimit_core, #{max => 0}),
    ?assertEqual({ok, #{cur => 0, max => 0}}, prx:getrlimit(T, rlimit_core)),
    ?assertEqual({error, einval}, prx:setrlimit(T, rlimit_core, #{cur => 1})),
    ?assertError(badarg, prx:setrlimit(T, rlimit_core, not_a_map)),
    ?assertError(badarg, prx:setrlimit(T, rlimit_core, #{})),
    %% the same in an op list, where plain calls go as one batch
    {ok, #{max := FileMax}} = prx:getrlimit(T, rlimit_fsize),
    ok = prx_task:with(T, [{setrlimit, [rlimit_fsize, #{cur => 4096}]}, {chdir, ["/"]}], []),
    ?assertEqual({ok, #{cur => 4096, max => FileMax}}, prx:getrlimit(T, rlimit_fsize)).

raw_fork_refused(Config) ->
    %% prx:call/3 makes any call by name, but not one that would leave a process taskless.
    T = ?config(root, Config),
    ?assertEqual({error, eagain}, prx:call(T, fork, [])),
    ?assertEqual(prx:getpid(T), prx:call(T, getpid, [])),
    ?assertError(undef, prx:call(T, jail, [[]])).

stdin_full_pipe(Config) ->
    %% prx's stdin: {eagain, Written} as soon as the pipe is full, nothing queued past it, and
    %% eof closes the pipe at once; the program is then killed and reaped within a second.
    Root = ?config(root, Config),
    {ok, C} = prx:fork(Root),
    ok = prx:execvp(C, ["sleep", "100"]),
    Pid = prx:pidof(C),
    Written = feed_until_eagain(C, 0),
    ?assert(Written =< pipe_max_size()),
    T0 = erlang:monotonic_time(millisecond),
    ok = prx:eof(C),
    Pipe = fd_link(Pid, 0),
    ?assertEqual([], [Fd || Fd <- fds(prx:pidof(Root)), fd_link(prx:pidof(Root), Fd) =:= Pipe]),
    ok = prx:kill(Root, Pid, sigkill),
    receive {termsig, C, sigkill} -> ok after ?GONE_MS -> error(not_reaped) end,
    ?assert(erlang:monotonic_time(millisecond) - T0 < ?GONE_MS).

%% stdin/2 in pieces until the task says its pipe is full: the bytes written.
feed_until_eagain(C, Sent) ->
    Chunk = 65536,
    ok = prx:stdin(C, binary:copy(<<"x">>, Chunk)),
    receive {stdin, C, {error, {eagain, Written}}} -> Sent + Written
    after 200 ->
        ?assert(Sent < 64 bsl 20),
        feed_until_eagain(C, Sent + Chunk)
    end.

pipe_max_size() ->
    {ok, Bin} = file:read_file("/proc/sys/fs/pipe-max-size"),
    binary_to_integer(string:trim(Bin)).

fds(Pid) ->
    {ok, Names} = file:list_dir("/proc/" ++ integer_to_list(Pid) ++ "/fd"),
    [list_to_integer(N) || N <- Names].

fd_link(Pid, Fd) ->
    case file:read_link("/proc/" ++ integer_to_list(Pid) ++ "/fd/" ++ integer_to_list(Fd)) of
        {ok, Link} -> Link;
        {error, _} -> none
    end.

sighup_from_shell(Config) ->
    %% Every catchable signal is caught in call mode, as prx does: a shell's kill -HUP $PPID
    %% is an event with the sender in its siginfo_t, and the supervisor lives on.
    {ok, Sup} = prx:fork(?config(root, Config)),
    {ok, Sh} = prx:fork(Sup),
    ShPid = prx:pidof(Sh),
    ok = prx:execvp(Sh, ["/bin/sh", "-c", "kill -HUP $PPID"]),
    receive
        {signal, Sup, sighup, <<1:32/native, _:32, _:32, _:32, From:32/native, _/binary>>} ->
            ?assertEqual(ShPid, From)
    after ?GUARD_MS -> error(no_signal)
    end,
    ?assertMatch({_, _, {exit_status, 0}}, nook_test_lib:collect(Sh, ?GUARD_MS)),
    ?assertEqual(prx:pidof(Sup), prx:getpid(Sup)),
    [?assertEqual({ok, sig_info}, prx:sigaction(Sup, S, [])) || S <- [sighup, sigterm, sigint, sigusr1]],
    %% faults of the process itself keep their disposition (the BEAM's sig_ign for sigfpe, the
    %% port inherits), and so do nook's own
    [?assertNotEqual({ok, sig_info}, prx:sigaction(Sup, S, []))
     || S <- [sigsegv, sigbus, sigill, sigfpe, sigsys, sigtrap, sigchld, sigpipe]],
    %% a program starts with default dispositions and nothing blocked
    {ok, P} = prx:fork(Sup),
    ok = prx:execvp(P, ["sleep", "100"]),
    ?assertEqual(<<"0000000000000000">>, proc_status(prx:pidof(P), <<"SigBlk">>)),
    ?assertEqual(<<"0000000000000000">>, proc_status(prx:pidof(P), <<"SigCgt">>)).

proc_status(Pid, Key) ->
    {ok, Status} = file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/status"),
    [Value] = [string:trim(V) || Line <- binary:split(Status, <<"\n">>, [global]),
                                 [K, V] <- [binary:split(Line, <<":">>)], K =:= Key],
    Value.

constants(Config) ->
    T = ?config(root, Config),
    Nr = prx:call(T, syscall_constant, [sys_getpid]),
    ?assertMatch({ok, getpid, _}, prx:seccomp_syscall_name(T, Nr, native)),
    ?assertEqual(Nr, prx:call(T, syscall_constant, ['SYS_getpid'])),
    ?assertEqual(unknown, prx:call(T, syscall_constant, [sys_nosuch])),
    ?assertEqual(9, prx:call(T, signal_constant, [sigkill])),
    ?assertEqual(16#10000000, prx:call(T, clone_constant, [clone_newuser])),
    ?assertEqual(1, prx:call(T, fcntl_constant, [fd_cloexec])),
    ?assertEqual(2, prx:call(T, mount_constant, [mnt_detach])),
    ?assertEqual(unknown, prx:call(T, rlimit_constant, [rlimit_nosuch])),
    ?assertError(badarg, prx:call(T, syscall_constant, ["getpid"])).

fexecve(Config) ->
    {ok, C} = prx:fork(?config(root, Config)),
    {ok, FD} = prx:open(C, "/usr/bin/env", [o_rdonly, o_cloexec], 0),
    ok = prx:fexecve(C, FD, ["env", "-0"], ["FOO=123"]),
    ?assertEqual({<<"FOO=123", 0>>, <<>>, {exit_status, 0}}, nook_test_lib:collect(C, ?GUARD_MS)),
    {ok, C2} = prx:fork(?config(root, Config)),
    ?assertEqual({error, ebadf}, prx:fexecve(C2, 1000, ["env"], [])),
    ?assertEqual(prx:pidof(C2), prx:getpid(C2)).

select(Config) ->
    T = ?config(root, Config),
    {ok, Null} = prx:open(T, "/dev/null", [o_rdwr, o_cloexec], 0),
    ?assertEqual({ok, [Null], [Null], []}, prx:select(T, [Null], [Null], [Null], [])),
    ?assertEqual({ok, [Null], [Null], []}, prx:select(T, [Null], [Null], [Null], #{sec => 1, usec => 1})),
    Fifo = filename:join(?config(priv_dir, Config), "fifo"),
    ok = prx:mkfifo(T, Fifo, 8#600),
    {ok, F} = prx:open(T, Fifo, [o_rdwr, o_nonblock, o_cloexec], 0),
    ?assertEqual({ok, [], [], []}, prx:select(T, [F], [], [], #{usec => 1000})),
    {ok, 1} = prx:write(T, F, <<"x">>),
    ?assertEqual({ok, [F], [], []}, prx:select(T, [F], [], [], #{})),
    ?assertEqual({error, einval}, prx:select(T, [], [], [], #{sec => -1})),
    ?assertError(badarg, prx:select(T, [100000], [], [], [])).

reexec(Config) ->
    %% A fresh image of priv/nook in the same process, with its filter and options.
    Root = ?config(root, Config),
    {ok, C} = prx:fork(Root),
    Pid = prx:getpid(C),
    ok = prx:filter(C, [getcwd], []),
    true = prx:setopt(C, maxforkdepth, 7),
    ok = prx:reexec(C),
    ?assertEqual(Pid, prx:getpid(C)),
    ?assertError(undef, prx:getcwd(C)),
    ?assertEqual(7, prx:getopt(C, maxforkdepth)),
    ok = prx:replace_process_image(C, [prx_drv:progname()], prx:environ(C)),
    {ok, G} = prx:fork(C),
    ?assertEqual({error, eacces}, prx:reexec(C)),
    ok = prx:execvp(G, ["echo", "after reexec"]),
    ?assertEqual({<<"after reexec\n">>, <<>>, {exit_status, 0}}, nook_test_lib:collect(G, ?GUARD_MS)),
    {ok, C2} = prx:fork(Root),
    {ok, FD} = prx:open(C2, prx_drv:progname(), [o_rdonly, o_cloexec], 0),
    ok = prx:reexec(C2, {fd, FD, []}, []),
    ?assertEqual([], prx:environ(C2)),
    ?assertEqual({error, enoent}, prx:reexec(C2, ["/nonexistent/nook"], [])),
    ?assertEqual(prx:pidof(C2), prx:getpid(C2)).

spawn_call(Fun) ->
    {Pid, Ref} = spawn_monitor(fun() -> exit(catch Fun()) end),
    receive {'DOWN', Ref, process, Pid, Result} -> Result
    after ?GUARD_MS -> error(timeout)
    end.

%% ---- projects ----

rebar3_project(Config) ->
    %% nook and compat/prx as the project's checkouts: rebar3 builds nook, then prx from it.
    Dir = project_dir(Config, "rebar3_app"),
    ok = file:write_file(filename:join(Dir, "rebar.config"), "{deps, [nook, prx]}.\n"),
    ok = filelib:ensure_path(filename:join(Dir, "_checkouts")),
    ok = file:make_symlink(root(), filename:join([Dir, "_checkouts", "nook"])),
    ok = file:make_symlink(filename:join([root(), "compat", "prx"]),
                           filename:join([Dir, "_checkouts", "prx"])),
    write_app(Dir),
    {0, _} = run(Dir, "rebar3", ["compile"]),
    Paths = filelib:wildcard(filename:join(Dir, "_build/default/{checkouts,lib}/*/ebin")),
    {0, Out} = run(Dir, "erl", ["-noshell" | lists:append([["-pa", P] || P <- Paths])]
                   ++ ["-eval", "io:format(\"~p~n\", [app:go()]), halt()."]),
    ?assertEqual(match, re:run(Out, "<<\"from prx\\\\n\">>\n$", [{capture, none}])).

mix_project(Config) ->
    %% Path dependencies on the checkout, as the README's mix example has them.
    Dir = project_dir(Config, "mix_app"),
    Root = root(),
    ok = file:write_file(
           filename:join(Dir, "mix.exs"),
           ["defmodule App.MixProject do\n"
            "  use Mix.Project\n"
            "  def project, do: [app: :app, version: \"0.1.0\", language: :erlang, deps: deps()]\n"
            "  def application, do: [applications: [:kernel, :stdlib, :prx]]\n"
            "  defp deps, do: [{:nook, path: \"", Root, "\"},\n"
            "                  {:prx, path: \"", Root, "/compat/prx\"}]\n"
            "end\n"]),
    write_app(Dir),
    {0, Out} = run(Dir, "mix", ["run", "-e", "IO.write(:app.go())"]),
    ?assertEqual(match, re:run(Out, "\nfrom prx\n$", [{capture, none}])).

project_dir(Config, Name) ->
    Dir = filename:join(?config(priv_dir, Config), Name),
    ok = filelib:ensure_path(filename:join(Dir, "src")),
    Dir.

%% An application whose code is prx code.
write_app(Dir) ->
    ok = file:write_file(filename:join([Dir, "src", "app.app.src"]),
                         "{application, app, [{description, \"prx code\"}, {vsn, \"0.1.0\"},\n"
                         " {applications, [kernel, stdlib, prx]}]}.\n"),
    ok = file:write_file(filename:join([Dir, "src", "app.erl"]),
                         "-module(app).\n-export([go/0]).\n"
                         "go() -> {ok, T} = prx:fork(), Out = prx:sh(T, \"echo from prx\"),\n"
                         "        ok = prx:stop(T), Out.\n").

%% Program in Dir, its exit status and output.
run(Dir, Program, Args) ->
    Exe = os:find_executable(Program),
    ?assertNotEqual(false, Exe),
    Env = [{"MIX_REBAR3", os:find_executable("rebar3")}, {"REBAR_COLOR", "none"},
           {"MIX_ENV", "dev"}],
    Port = open_port({spawn_executable, Exe},
                     [{args, Args}, {cd, Dir}, {env, Env}, exit_status, stderr_to_stdout, binary]),
    Result = collect_port(Port, []),
    ct:log("~s ~p in ~s:~n~s", [Program, Args, Dir, element(2, Result)]),
    Result.

collect_port(Port, Acc) ->
    receive
        {Port, {data, Bin}} -> collect_port(Port, [Bin | Acc]);
        {Port, {exit_status, Status}} -> {Status, binary_to_list(iolist_to_binary(lists:reverse(Acc)))}
    after 100000 ->
        error({timeout, iolist_to_binary(lists:reverse(Acc))})
    end.
