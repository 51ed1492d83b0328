%% SPDX-License-Identifier: ISC
%% @doc Calls decided in Erlang (seccomp user notification): one case per call (success and
%% failure paths), the listener held by the parent and never by the program, and, in the
%% group `unprivileged' (run again by bin/test as a user with no privilege at all), the
%% `notify' and `audit' options of the behaviours: a handler refusing AF_INET sockets, a
%% handler past its bound, one that crashes, 10,000 calls without a leak, execve and
%% connect reported in order.
%%
%% Filters are loaded in forked tasks after no_new_privs, never in a port's root. No verdict
%% depends on timing: a receive waits for a message that must come, and its time limit only
%% turns a hang into a failure.
-module(nook_notify_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_suite/1, end_per_suite/1, init_per_group/2,
         end_per_group/2, init_per_testcase/2, end_per_testcase/2]).
%% calls.def
-export([seccomp_load_notify/1, seccomp_notif_send/1]).
%% nook_notify
-export([call_mode_task/1, bad_options/1]).
%% group unprivileged
-export([socket_domain_decided/1, slow_handler_gets_default/1, crashing_handler/1,
         ten_thousand_calls/1, listener_not_in_program/1, audit_execve_in_order/1,
         audit_connect_address/1, rootless_notify/1]).
%% a handler by name
-export([unix_only/1]).

-define(TIMEOUT, 10000).
-define(PY, "/usr/bin/python3").
%% socket(Domain, SOCK_STREAM) for each domain given (numbers): "ok" or the errno, a line each.
-define(SOCKET_PY,
        "import socket, sys\n"
        "for d in sys.argv[1:]:\n"
        "    try:\n"
        "        socket.socket(int(d), socket.SOCK_STREAM).close(); print('ok')\n"
        "    except OSError as e: print(e.errno)\n").
-define(AF_UNIX, 1).
-define(AF_INET, 2).
-define(EACCES, 13).
-define(EPERM, 1).
-define(ONLY_SOCKET, #{default => allow, rules => [{notify, [socket]}]}).
%% kill(own pid, 0) N times: "ok" or the errno, a line each. Python makes no kill of its own.
-define(KILL_PY,
        "import os, sys\n"
        "for i in range(int(sys.argv[1])):\n"
        "    try:\n"
        "        os.kill(os.getpid(), 0); print('ok')\n"
        "    except OSError as e: print(e.errno)\n").

suite() -> [{timetrap, {seconds, 180}}].

all() ->
    [seccomp_load_notify, seccomp_notif_send, call_mode_task, bad_options,
     {group, unprivileged}].

groups() ->
    [{unprivileged, [],
      [socket_domain_decided, slow_handler_gets_default, crashing_handler, ten_thousand_calls,
       listener_not_in_program, audit_execve_in_order, audit_connect_address, rootless_notify]}].

init_per_suite(Config) ->
    case filelib:is_file(?PY) of
        true -> Config;
        false -> {skip, ?PY ++ " is missing: the programs of these cases are Python"}
    end.

end_per_suite(_Config) -> ok.

init_per_group(_Group, Config) -> Config.

end_per_group(_Group, _Config) -> ok.

init_per_testcase(_Case, Config) ->
    {ok, Root} = nook:fork(),
    [{root, Root} | Config].

end_per_testcase(_Case, Config) ->
    nook:stop(?config(root, Config)).

%% ---- calls.def ----

seccomp_load_notify(Config) ->
    T = ?config(root, Config),
    {ok, BPF} = nook:seccomp_compile(T, ?ONLY_SOCKET),
    %% the root's parent is the BEAM, which can hold no listener
    ?assertEqual({error, eperm}, nook:seccomp_load_notify(T, BPF)),
    {ok, C} = nook:fork(T),
    %% without no_new_privs an unprivileged process may load no filter
    case nook:getuid(C) of
        0 -> ok;
        _ -> ?assertEqual({error, eacces}, nook:seccomp_load_notify(C, BPF))
    end,
    {ok, 0, _, _, _, _} = nook:prctl(C, pr_set_no_new_privs, 1, 0, 0, 0),
    ?assertEqual({error, einval}, nook:seccomp_load_notify(C, <<>>)),
    ?assertError(badarg, nook:seccomp_load_notify(C, <<1, 2, 3>>)),
    ?assertError(badarg, nook:seccomp_load_notify(C, [BPF])),
    Before = listeners(nook:pidof(C)),
    ?assertEqual(ok, nook:seccomp_load_notify(C, BPF)),
    ?assertEqual({error, ebusy}, nook:seccomp_load_notify(C, BPF)),
    %% the parent holds the listener, the task none
    ?assertEqual({[], 0}, {Before, length(listeners(nook:pidof(C)))}),
    ?assertEqual(1, length(listeners(root_pid(T)))),
    %% the task's own calls go on (none is socket); a child inherits the filter and may
    %% have no listener of its own (the kernel's rule: one per filter tree)
    ?assertEqual(nook:pidof(C), nook:getpid(C)),
    {ok, G} = nook:fork(C),
    ?assertEqual({error, ebusy}, nook:seccomp_load_notify(G, BPF)),
    ?assertEqual([], listeners(nook:pidof(C))),
    %% the listener goes with the child
    ok = nook:stop(C),
    ?assertEqual(ok, nook_test_lib:until(fun() -> listeners(root_pid(T)) =:= [] end, ?TIMEOUT)).

seccomp_notif_send(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, 0, _, _, _, _} = nook:prctl(C, pr_set_no_new_privs, 1, 0, 0, 0),
    {ok, BPF} = nook:seccomp_compile(C, #{default => allow, rules => [{notify, [kill]}]}),
    ok = nook:seccomp_load_notify(C, BPF),
    Pid = nook:pidof(C),
    ok = nook:execve(C, ?PY, [?PY, "-c", ?KILL_PY, "3"], []),
    %% the owner gets each notification: refused, refused with a name this system lacks
    %% (eperm then), allowed
    #{id := Id1, syscall := kill, args := [Pid, 0 | _], pid := Pid, arch := _} = notification(C),
    ?assertEqual(ok, nook:seccomp_notif_send(T, C, Id1, {errno, eacces})),
    %% answered once: enoent, or einprogress while its caller is not yet on its way again
    ?assert(lists:member(nook:seccomp_notif_send(T, C, Id1, allow), [{error, enoent}, {error, einprogress}])),
    #{id := Id2} = notification(C),
    ?assertEqual({error, enotsup}, nook:seccomp_notif_send(T, Pid, Id2, {errno, enosuch})),
    #{id := Id3} = notification(C),
    ?assertError(badarg, nook:seccomp_notif_send(T, C, Id3, {errno, 0})),
    ?assertError(badarg, nook:seccomp_notif_send(T, C, Id3, deny)),
    ?assertError(badarg, nook:seccomp_notif_send(T, C, -1, allow)),
    ?assertEqual(ok, nook:seccomp_notif_send(T, C, Id3, allow)),
    ?assertEqual({<<"13\n1\nok\n">>, <<>>, {exit_status, 0}}, nook_test_lib:collect(C, ?TIMEOUT)),
    %% no such child; a child that handed no listener over
    ?assertEqual({error, esrch}, nook:seccomp_notif_send(T, 99999999, 1, allow)),
    {ok, D} = nook:fork(T),
    ?assertEqual({error, ebadf}, nook:seccomp_notif_send(T, D, 1, allow)),
    %% no call filter refuses it: a supervisor restricted to nothing still answers
    ok = nook:filter(T, {allow, []}, []),
    ?assertEqual({error, ebadf}, nook:seccomp_notif_send(T, D, 1, allow)).

%% ---- nook_notify ----

call_mode_task(Config) ->
    %% The task's own calls, answered in Erlang: the round trip the bench measures.
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, 0, _, _, _, _} = nook:prctl(C, pr_set_no_new_privs, 1, 0, 0, 0),
    Self = self(),
    Handler = fun(#{syscall := getppid, pid := P, task := Task} = N) ->
                      Self ! {asked, P, Task, maps:is_key(path, N)},
                      allow
              end,
    {ok, Server} = nook_notify:start(C, #{[getppid, getpgrp] => Handler}, #{}),
    Parent = list_to_integer(os:getpid()),
    ?assertEqual(root_pid(T), nook:getppid(C)),
    Pid = nook:pidof(C),
    receive {asked, P, Task, HasPath} -> ?assertEqual({Pid, C, false}, {P, Task, HasPath})
    after ?TIMEOUT -> ct:fail(no_handler_call)
    end,
    ?assertNotEqual(Parent, nook:getppid(C)),
    ?assertEqual(0, nook_notify:pending(Server)),
    ?assertEqual({error, {unknown_syscall, no_such_call}},
                 begin {ok, D} = nook:fork(T), nook_notify:start(D, #{no_such_call => Handler}, #{}) end),
    ?assertMatch({error, {badarg, _}}, nook_notify:start(C, #{sendmsg => Handler}, #{})),
    %% the server ends with its task
    Ref = monitor(process, Server),
    ok = nook:stop(C),
    receive {'DOWN', Ref, process, Server, normal} -> ok after ?TIMEOUT -> ct:fail(server_left) end.

bad_options(_Config) ->
    H = fun(_) -> allow end,
    [?assertEqual({error, {badopt, Opt}}, nook_stream:run("true", nook_process, [Opt]))
     || Opt <- [{notify, #{sendmsg => H}}, {notify, #{socket => not_a_fun}},
                {notify, #{[socket, 42] => H}}, {notify, [{socket, H}]}, {audit, [sendmsg]},
                {audit, socket}, {notify_default, deny}, {notify_default, {errno, 0}},
                {notify_timeout, 0}]],
    ?assertEqual({error, {notify, {unknown_syscall, no_such_call}}},
                 nook_stream:run("true", nook_process, [{notify, #{no_such_call => H}}])).

%% ---- group unprivileged ----

socket_domain_decided(_Config) ->
    Cmd = [?PY, "-c", ?SOCKET_PY, integer_to_list(?AF_UNIX), integer_to_list(?AF_INET)],
    {ok, Free} = nook_stream:run(Cmd, nook_process, []),
    ?assertEqual({<<"ok\nok\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Free)),
    {ok, Events} = nook_stream:run(Cmd, nook_process, [{notify, #{socket => {?MODULE, unix_only}}}]),
    ?assertEqual({<<"ok\n13\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Events)).

%% A decision on a scalar argument, the socket's domain: sound.
unix_only(#{syscall := socket, args := [?AF_UNIX | _]}) -> allow;
unix_only(#{syscall := socket}) -> {errno, eacces}.

slow_handler_gets_default(_Config) ->
    Slow = fun(_) -> timer:sleep(60000), allow end,
    Cmd = [?PY, "-c", ?SOCKET_PY, integer_to_list(?AF_UNIX)],
    Opts = [{notify, #{socket => Slow}}, {notify_timeout, 200}],
    T0 = erlang:monotonic_time(millisecond),
    {ok, Refused} = nook_stream:run(Cmd, nook_process, Opts),
    ?assertEqual({<<"1\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Refused)),
    {ok, Allowed} = nook_stream:run(Cmd, nook_process, [{notify_default, allow} | Opts]),
    ?assertEqual({<<"ok\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Allowed)),
    %% neither waited for the handler, which was killed
    ?assert(erlang:monotonic_time(millisecond) - T0 < 30000),
    ?assertEqual([], [P || P <- processes(), {current_function, {timer, sleep, 1}} =:=
                                                 erlang:process_info(P, current_function)]).

crashing_handler(_Config) ->
    Cmd = [?PY, "-c", ?SOCKET_PY, integer_to_list(?AF_UNIX)],
    [begin
         {ok, Events} = nook_stream:run(Cmd, nook_process, [{notify, #{socket => H}},
                                                            {notify_default, allow}]),
         ?assertEqual({<<"1\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Events))
     end || H <- [fun(_) -> error(boom) end, fun(_) -> exit(self(), kill) end,
                  fun(_) -> {errno, 0} end, fun(_) -> maybe end]].

ten_thousand_calls(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, 0, _, _, _, _} = nook:prctl(C, pr_set_no_new_privs, 1, 0, 0, 0),
    Counter = counters:new(1, []),
    Handler = fun(_) -> counters:add(Counter, 1, 1), allow end,
    FdsBefore = fds(root_pid(T)),
    {ok, Server} = nook_notify:start(C, #{getppid => Handler}, #{}),
    ?assertEqual(FdsBefore + 1, fds(root_pid(T))), % the listener, in the parent
    Procs = length(processes()),
    Loop = "import os\nfor i in range(10000): os.getppid()\nprint(os.getppid())\n",
    ok = nook:execve(C, ?PY, [?PY, "-c", Loop], []),
    Parent = integer_to_binary(root_pid(T)),
    ?assertEqual({<<Parent/binary, "\n">>, <<>>, {exit_status, 0}},
                 nook_test_lib:collect(C, 120000)),
    ?assertEqual(10001, counters:get(Counter, 1)),
    %% every handler process gone, the listener closed with its child, the server ended with
    %% the task (nothing pending: call_mode_task asks)
    ?assert(length(processes()) =< Procs),
    %% (the root holds C's channel and pipes no more either: fewer fds than before the load)
    ?assertEqual(ok, nook_test_lib:until(fun() -> listeners(root_pid(T)) =:= [] end, ?TIMEOUT)),
    ?assert(fds(root_pid(T)) < FdsBefore),
    ?assertEqual(ok, nook_test_lib:until(fun() -> not is_process_alive(Server) end, ?TIMEOUT)).

listener_not_in_program(_Config) ->
    %% The program, and what it starts, see only 0, 1, 2 (and ls its directory): no listener.
    Cmd = "ls -l /proc/$$/fd /proc/self/fd",
    {ok, Events} = nook_stream:run(Cmd, nook_process, [{notify, #{socket => fun(_) -> allow end}}]),
    {Out, <<>>, {exit_status, 0}} = nook_test_lib:events(Events),
    ?assertMatch({match, _}, re:run(Out, "0 -> ")),
    ?assertEqual(nomatch, re:run(Out, "seccomp")),
    ?assertEqual(nomatch, re:run(Out, " [4-9] -> ")).

audit_execve_in_order(_Config) ->
    {ok, Events} = nook_stream:run("ls /; id -u", nook_process,
                                   [{audit, [execve]}, {env, [{"PATH", "/usr/bin:/bin"}]}]),
    Paths = [P || {audit, #{syscall := execve, path := P}} <- Events],
    ?assertEqual([<<"/bin/sh">>, <<"/usr/bin/ls">>, <<"/usr/bin/id">>], Paths),
    %% each before the output it leads to, all allowed
    At = fun(Pred) -> length(lists:takewhile(fun(E) -> not Pred(E) end, Events)) end,
    Audit = fun(Path) -> At(fun({audit, #{path := P}}) -> P =:= Path; (_) -> false end) end,
    Output = [I || {I, {stdout, _}} <- lists:enumerate(0, Events)],
    ?assert(Audit(<<"/usr/bin/ls">>) < hd(Output)),
    ?assert(Audit(<<"/usr/bin/id">>) < lists:last(Output)),
    {stdout, Last} = lists:nth(lists:last(Output) + 1, Events),
    ?assertMatch({match, _}, re:run(Last, "(^|\n)[0-9]+\n$")),
    ?assertEqual({exit_status, 0}, lists:last(Events)).

audit_connect_address(_Config) ->
    {ok, S} = gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}]),
    {ok, Port} = inet:port(S),
    Py = io_lib:format("import socket\nsocket.create_connection(('127.0.0.1', ~b)).close()\n"
                       "print('connected')\n", [Port]),
    {ok, Events} = nook_stream:run([?PY, "-c", Py], nook_process, [{audit, [connect]}]),
    ?assertEqual([{inet, {127, 0, 0, 1}, Port}],
                 [A || {audit, #{syscall := connect, addr := A}} <- Events]),
    ?assertEqual({<<"connected\n">>, <<>>, {exit_status, 0}},
                 nook_test_lib:events([E || E <- Events, element(1, E) =/= audit])),
    gen_tcp:close(S).

rootless_notify(Config) ->
    case nook_test_lib:userns_or_skip(Config) of
        {skip, _} = Skip ->
            Skip;
        _ ->
            Self = self(),
            Handler = fun(#{pid := Pid} = N) -> Self ! {pid, Pid}, unix_only(N) end,
            Cmd = [?PY, "-c", ?SOCKET_PY, integer_to_list(?AF_UNIX), integer_to_list(?AF_INET)],
            {ok, Events} = nook_stream:run(Cmd, nook_rootless, [{notify, #{socket => Handler}}]),
            ?assertEqual({<<"ok\n13\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Events)),
            %% the pid as the container's init numbers it
            receive {pid, Pid} -> ?assert(Pid < 10) after ?TIMEOUT -> ct:fail(no_handler_call) end
    end.

%% ---- helpers ----

notification(Task) ->
    receive {seccomp_notify, Task, N} -> N
    after ?TIMEOUT -> ct:fail(no_notification)
    end.

%% The OS pid of a port's root process.
root_pid(T) -> nook:getpid(T).

%% The seccomp listeners among a process's fds.
listeners(Pid) ->
    Dir = "/proc/" ++ integer_to_list(Pid) ++ "/fd/",
    {ok, Names} = file:list_dir(Dir),
    [N || N <- Names, {ok, "anon_inode:seccomp notify"} =:= file:read_link(Dir ++ N)].

fds(Pid) ->
    {ok, Names} = file:list_dir("/proc/" ++ integer_to_list(Pid) ++ "/fd"),
    length(Names).
