%% SPDX-License-Identifier: ISC
%% @doc Landlock: one case per call (success and failure paths), what nook_landlock makes
%% of a spec at each ABI, and, in the group `unprivileged' (run again by bin/test as a user
%% with no privilege at all), the `landlock' option of the behaviours: files, TCP ports,
%% descendants, a rootless container, a strict start where a right cannot be enforced.
%%
%% Rulesets are applied in forked tasks after no_new_privs, never in a port's root. A kernel
%% without Landlock skips the cases that need it, saying so.
-module(nook_landlock_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_suite/1, end_per_suite/1, init_per_group/2,
         end_per_group/2, init_per_testcase/2, end_per_testcase/2]).
%% calls.def
-export([landlock_create_ruleset/1, landlock_add_rule/1, landlock_restrict_self/1]).
%% nook_landlock
-export([plan_by_abi/1, supported/1, bad_options/1]).
%% group unprivileged
-export([process_files/1, process_tcp_ports/1, descendants/1, missing_path/1, abi_unknown/1,
         strict_unenforceable/1, rootless_tightened/1, no_new_privs_needed/1, terminal/1]).

-define(ABI_KEY, {nook_landlock, abi}).
%% A nook_process allowed /usr and /tmp: /bin, /lib and /lib64 are links into /usr on this
%% Debian, and Landlock judges the file a path resolves to.
-define(USR_TMP, #{read => ["/usr", "/tmp"], exec => ["/usr"], write => ["/tmp"]}).
-define(PY, "/usr/bin/python3").
%% Connect to each port given, then bind each: "connect P ok|Errno", "bind P ok|Errno".
-define(TCP_PY,
        "import socket, sys\n"
        "ports = [int(p) for p in sys.argv[1:]]\n"
        "for p in ports[:2]:\n"
        "    s = socket.socket()\n"
        "    try:\n"
        "        s.connect(('127.0.0.1', p)); print('connect', p, 'ok')\n"
        "    except OSError as e: print('connect', p, e.errno)\n"
        "for p in ports[2:]:\n"
        "    s = socket.socket()\n"
        "    try:\n"
        "        s.bind(('127.0.0.1', p)); print('bind', p, 'ok')\n"
        "    except OSError as e: print('bind', p, e.errno)\n").

suite() -> [{timetrap, {seconds, 120}}].

all() ->
    [landlock_create_ruleset, landlock_add_rule, landlock_restrict_self, plan_by_abi,
     supported, bad_options, {group, unprivileged}].

groups() ->
    [{unprivileged, [],
      [process_files, process_tcp_ports, descendants, missing_path, abi_unknown,
       strict_unenforceable,
       rootless_tightened, no_new_privs_needed, terminal]}].

init_per_suite(Config) ->
    case nook_landlock:supported() of
        #{abi := 0} -> {skip, "this kernel has no Landlock (built without it, or off at boot)"};
        #{abi := ABI} -> [{abi, ABI} | Config]
    end.

end_per_suite(_Config) -> ok.

init_per_group(_Group, Config) -> Config.

end_per_group(_Group, _Config) -> ok.

init_per_testcase(_Case, Config) ->
    {ok, Root} = nook:fork(),
    [{root, Root} | Config].

end_per_testcase(_Case, Config) ->
    %% A case that pretends to an older kernel puts the real ABI back.
    persistent_term:put(?ABI_KEY, ?config(abi, Config)),
    nook:stop(?config(root, Config)).

%% ---- calls.def ----

landlock_create_ruleset(Config) ->
    T = ?config(root, Config),
    ?assertEqual({ok, ?config(abi, Config)},
                 nook:landlock_create_ruleset(T, #{}, landlock_create_ruleset_version)),
    ?assertEqual({ok, ?config(abi, Config)},
                 nook:landlock_create_ruleset(T, [], ['LANDLOCK_CREATE_RULESET_VERSION'])),
    {ok, Fd} = nook:landlock_create_ruleset(
                 T, #{handled_access_fs => [landlock_access_fs_read_file, landlock_access_fs_read_dir],
                      handled_access_net => landlock_access_net_connect_tcp,
                      scoped => [landlock_scope_signal]}, 0),
    ?assertEqual({ok, 1}, nook:fcntl(T, Fd, f_getfd)), % close-on-exec
    ok = nook:close(T, Fd),
    %% a ruleset that handles nothing, and rights beyond any the kernel has
    ?assertEqual({error, enomsg}, nook:landlock_create_ruleset(T, #{handled_access_fs => 0}, 0)),
    ?assertEqual({error, einval}, nook:landlock_create_ruleset(T, #{handled_access_fs => 1 bsl 40}, 0)),
    ?assertEqual({error, efault}, nook:landlock_create_ruleset(T, #{}, 0)), % no struct at all
    ?assertEqual({error, enotsup},
                 nook:landlock_create_ruleset(T, #{handled_access_fs => landlock_access_fs_nosuch}, 0)),
    ?assertError(badarg, nook:landlock_create_ruleset(T, #{nosuch => 1}, 0)),
    ?assertError(badarg, nook:landlock_create_ruleset(T, #{handled_access_fs => 1, handled_access_net => 1,
                                                            scoped => 1, more => 1}, 0)),
    ?assertError(badarg, nook:landlock_create_ruleset(T, "attr", 0)),
    ?assertError(badarg, nook:landlock_create_ruleset(T, #{handled_access_fs => -1}, 0)).

landlock_add_rule(Config) ->
    T = ?config(root, Config),
    {ok, Ruleset} = nook:landlock_create_ruleset(
                      T, #{handled_access_fs => [landlock_access_fs_read_file, landlock_access_fs_read_dir],
                           handled_access_net => [landlock_access_net_bind_tcp]}, 0),
    {ok, Dir} = nook:open(T, "/usr", [o_path, o_cloexec]),
    {ok, File} = nook:open(T, "/etc/hostname", [o_path, o_cloexec]),
    ?assertEqual(ok, nook:landlock_add_rule(T, Ruleset, landlock_rule_path_beneath,
                                            [landlock_access_fs_read_file, landlock_access_fs_read_dir], Dir)),
    ?assertEqual(ok, nook:landlock_add_rule(T, Ruleset, landlock_rule_net_port,
                                            landlock_access_net_bind_tcp, 8080)),
    %% a directory right on a file, a right the ruleset does not handle, a port out of range
    ?assertEqual({error, einval}, nook:landlock_add_rule(T, Ruleset, landlock_rule_path_beneath,
                                                         landlock_access_fs_read_dir, File)),
    ?assertEqual(ok, nook:landlock_add_rule(T, Ruleset, landlock_rule_path_beneath,
                                            landlock_access_fs_read_file, File)),
    ?assertEqual({error, einval}, nook:landlock_add_rule(T, Ruleset, landlock_rule_path_beneath,
                                                         landlock_access_fs_execute, Dir)),
    ?assertEqual({error, einval}, nook:landlock_add_rule(T, Ruleset, landlock_rule_net_port,
                                                         landlock_access_net_bind_tcp, 70000)),
    ?assertEqual({error, ebadf}, nook:landlock_add_rule(T, 999, landlock_rule_path_beneath,
                                                        landlock_access_fs_read_file, Dir)),
    ?assertEqual({error, einval}, nook:landlock_add_rule(T, Ruleset, 7, 1, Dir)),
    ?assertEqual({error, enotsup}, nook:landlock_add_rule(T, Ruleset, landlock_rule_nosuch, 1, Dir)),
    ?assertError(badarg, nook:landlock_add_rule(T, Ruleset, landlock_rule_net_port, 1, -1)),
    ?assertError(badarg, nook:landlock_add_rule(T, Ruleset, landlock_rule_path_beneath, 1, "/usr")),
    %% nook's own fds are none of a ruleset's business
    Up = signalfd(T),
    ?assertEqual({error, ebadf}, nook:landlock_add_rule(T, Ruleset, landlock_rule_path_beneath,
                                                        landlock_access_fs_read_file, Up)),
    ?assertEqual({error, ebadf}, nook:landlock_add_rule(T, Up, landlock_rule_net_port,
                                                        landlock_access_net_bind_tcp, 80)),
    [ok = nook:close(T, Fd) || Fd <- [Ruleset, Dir, File]].

landlock_restrict_self(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, Ruleset} = nook:landlock_create_ruleset(
                      C, #{handled_access_fs => [landlock_access_fs_read_file, landlock_access_fs_read_dir]}, 0),
    %% /proc too: a nook process that ends by itself in the sanitizer build reads it (its leak
    %% check), and G below may see its channel close before its parent's death kills it
    [begin
         {ok, Dir} = nook:open(C, Path, [o_path, o_cloexec]),
         ok = nook:landlock_add_rule(C, Ruleset, landlock_rule_path_beneath,
                                     [landlock_access_fs_read_file, landlock_access_fs_read_dir], Dir)
     end || Path <- ["/usr", "/proc"]],
    %% without no_new_privs, unprivileged: eperm (root may, with CAP_SYS_ADMIN: not shown)
    case nook:getuid(C) of
        0 -> ok;
        _ -> ?assertEqual({error, eperm}, nook:landlock_restrict_self(C, Ruleset, 0))
    end,
    {ok, 0, _, _, _, _} = nook:prctl(C, pr_set_no_new_privs, 1, 0, 0, 0),
    ?assertEqual({ok, <<"bin">>}, first_entry(nook:readdir(C, "/usr"))),
    ?assertEqual(ok, nook:landlock_restrict_self(C, Ruleset, 0)),
    ?assertEqual({error, eacces}, nook:open(C, "/etc/hostname", [o_rdonly])),
    ?assertEqual({error, eacces}, nook:readdir(C, "/etc")),
    ?assertMatch({ok, _}, nook:open(C, "/usr/bin/env", [o_rdonly])),
    %% it holds for children forked after, and cannot be undone
    {ok, G} = nook:fork(C),
    ?assertEqual({error, eacces}, nook:open(G, "/etc/hostname", [o_rdonly])),
    ?assertEqual({error, ebadf}, nook:landlock_restrict_self(C, 999, 0)),
    Up = signalfd(C),
    ?assertEqual({error, ebadf}, nook:landlock_restrict_self(C, Up, 0)),
    ?assertEqual({error, enotsup}, nook:landlock_restrict_self(C, Ruleset, [landlock_restrict_self_nosuch])),
    ?assertError(badarg, nook:landlock_restrict_self(C, Ruleset, <<"0">>)).

%% ---- nook_landlock ----

plan_by_abi(_Config) ->
    Spec = #{read => ["/usr"], write => ["/tmp", "/usr"], exec => ["/usr"], connect => [443],
             bind => [], scope => [signal]},
    Seven = nook_landlock:plan(Spec, 7),
    ?assertEqual([], maps:get(unenforced, Seven)),
    %% one rule per path, its rights merged; a port rule per port
    ?assertEqual([<<"/tmp">>, <<"/usr">>], [iolist_to_binary(P) || {P, _} <- maps:get(paths, Seven)]),
    {_, UsrRights} = lists:keyfind("/usr", 1, maps:get(paths, Seven)),
    ?assert(lists:all(fun(R) -> lists:member(R, UsrRights) end,
                      [read_file, read_dir, execute, write_file, truncate, ioctl_dev])),
    ?assertEqual([{443, [connect_tcp]}], maps:get(ports, Seven)),
    ?assertEqual([bind_tcp, connect_tcp], maps:get(net, Seven)),
    ?assertEqual([signal], maps:get(scope, Seven)),
    %% older kernels: what they cannot enforce is named, never dropped unsaid
    ?assertEqual([signal], maps:get(unenforced, nook_landlock:plan(Spec, 5))),
    ?assertEqual([ioctl_dev, signal], maps:get(unenforced, nook_landlock:plan(Spec, 4))),
    ?assertEqual([ioctl_dev, bind, connect, signal], maps:get(unenforced, nook_landlock:plan(Spec, 3))),
    ?assertEqual([truncate, ioctl_dev, bind, connect, signal], maps:get(unenforced, nook_landlock:plan(Spec, 1))),
    ?assertEqual([read, write, exec, truncate, ioctl_dev, bind, connect, signal],
                 maps:get(unenforced, nook_landlock:plan(Spec, 0))),
    ?assertEqual([], maps:get(net, nook_landlock:plan(Spec, 3))),
    ?assert(not lists:member(truncate, maps:get(fs, nook_landlock:plan(Spec, 2)))),
    %% a class not named is left alone
    Net = nook_landlock:plan(#{connect => [80]}, 7),
    ?assertEqual({[], [connect_tcp], []}, {maps:get(fs, Net), maps:get(net, Net), maps:get(paths, Net)}).

supported(Config) ->
    ABI = ?config(abi, Config),
    #{abi := ABI, enforced := Enforced, unenforced := Unenforced} = nook_landlock:supported(),
    ?assertEqual(lists:sort([read, write, exec, truncate, ioctl_dev, bind, connect,
                             abstract_unix_socket, signal]),
                 lists:sort(Enforced ++ Unenforced)),
    ABI >= 7 andalso ?assertEqual([], Unenforced),
    ?assertEqual(#{abi => 3, enforced => [read, write, exec, truncate],
                   unenforced => [ioctl_dev, bind, connect, abstract_unix_socket, signal]},
                 begin
                     persistent_term:put(?ABI_KEY, 3),
                     nook_landlock:supported()
                 end).

bad_options(_Config) ->
    [?assertEqual({error, {badopt, {landlock, Bad}}}, nook_stream:run("true", nook_process, [{landlock, Bad}]))
     || Bad <- [#{reed => ["/usr"]}, #{read => "/usr"}, #{bind => [70000]}, #{scope => [ptrace]},
                #{strict => yes}, strict, [{read, [<<"/us", 0, "r">>]}]]].

%% ---- group unprivileged ----

process_files(_Config) ->
    Shm = "/dev/shm/nook-landlock-" ++ integer_to_list(erlang:unique_integer([positive])),
    Cmd = ["/bin/sh", "-c",
           "head -c 4 /usr/bin/env | od -c | head -n 1; cat /etc/passwd; "
           "echo in-tmp > /tmp/$1 && cat /tmp/$1 && rm /tmp/$1; echo out > $2; echo $?",
           "sh", filename:basename(Shm), Shm],
    %% the same command without Landlock writes outside /tmp: the check can fail
    {ok, Free} = nook_stream:run(Cmd, nook_process, []),
    {FreeOut, _, {exit_status, 0}} = nook_test_lib:events(Free),
    ?assertMatch({match, _}, re:run(FreeOut, "\n0\n$")),
    ok = file:delete(Shm),
    {ok, Events} = nook_stream:run(Cmd, nook_process, [{landlock, ?USR_TMP}]),
    {Out, Err, {exit_status, 0}} = nook_test_lib:events(Events),
    ?assertMatch({match, _}, re:run(Out, "177 +E +L +F")),       % /usr/bin/env read
    ?assertMatch({match, _}, re:run(Err, "/etc/passwd: Permission denied")),
    ?assertMatch({match, _}, re:run(Out, "\nin-tmp\n")),
    ?assertMatch({match, _}, re:run(Err, "cannot create " ++ Shm ++ ": Permission denied")),
    ?assertMatch({match, _}, re:run(Out, "\n2\n$")),
    ?assertNot(filelib:is_file(Shm)).

process_tcp_ports(_Config) ->
    {ok, Listed} = gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}]),
    {ok, Unlisted} = gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}]),
    {ok, L} = inet:port(Listed),
    {ok, U} = inet:port(Unlisted),
    [BindOk, BindNo] = free_ports(2),
    Args = [integer_to_list(P) || P <- [L, U, BindOk, BindNo]],
    Spec = ?USR_TMP#{connect => [L], bind => [BindOk]},
    {ok, Events} = nook_stream:run([?PY, "-c", ?TCP_PY | Args], nook_process, [{landlock, Spec}]),
    {Out, <<>>, {exit_status, 0}} = nook_test_lib:events(Events),
    ?assertEqual(iolist_to_binary(io_lib:format("connect ~b ok~nconnect ~b 13~nbind ~b ok~nbind ~b 13~n",
                                                [L, U, BindOk, BindNo])), Out),
    %% the same without a net class: both connect
    {ok, Free} = nook_stream:run([?PY, "-c", ?TCP_PY | Args], nook_process, [{landlock, ?USR_TMP}]),
    {FreeOut, <<>>, {exit_status, 0}} = nook_test_lib:events(Free),
    ?assertMatch({match, _}, re:run(FreeOut, io_lib:format("connect ~b ok", [U]))),
    [gen_tcp:close(S) || S <- [Listed, Unlisted]].

descendants(_Config) ->
    %% sh runs sh, which runs cat: two generations below the process restricted
    Cmd = "sh -c 'sh -c \"cat /etc/hostname\" 2>&1; echo $?'",
    {ok, Events} = nook_stream:run(Cmd, nook_process, [{landlock, ?USR_TMP}]),
    {Out, <<>>, {exit_status, 0}} = nook_test_lib:events(Events),
    ?assertMatch({match, _}, re:run(Out, "Permission denied\n1\n$")).

missing_path(_Config) ->
    ?assertEqual({error, {landlock, "/no/such/dir", enoent}},
                 nook_stream:run("true", nook_process,
                                 [{landlock, #{read => ["/usr", "/no/such/dir"]}}])),
    %% exec must list where /bin/sh is: nook_stream runs commands through it
    ?assertEqual({error, {exec, eacces}},
                 nook_stream:run("true", nook_process, [{landlock, #{read => ["/"]}}])).

abi_unknown(Config) ->
    %% The rules are plain calls, in one batch with the start's calls before them, whether
    %% the node knew its ABI or asks it first (of a port of its own, whose answer no filter
    %% of a task can change); a failure reads the same either way.
    Spec = [{landlock, #{read => ["/usr", "/no/such/dir"]}}],
    Plain = fun(S) ->
                    Ops = lists:flatten(nook_landlock:ops(S)),
                    Ops =/= [] andalso lists:all(fun(Op) -> element(1, Op) =:= nook end, Ops)
            end,
    ?assert(Plain(Spec)),
    persistent_term:erase(?ABI_KEY),
    ?assert(Plain(Spec)),
    ?assertEqual(?config(abi, Config), persistent_term:get(?ABI_KEY, undefined)),
    persistent_term:erase(?ABI_KEY),
    ?assertEqual({error, {landlock, "/no/such/dir", enoent}},
                 nook_stream:run("true", nook_process, Spec)),
    %% the start that asks runs as any other (the asking is no message of its stream's)
    persistent_term:erase(?ABI_KEY),
    ?assertEqual({ok, [{exit_status, 0}]},
                 nook_stream:run("true", nook_process, [{landlock, ?USR_TMP}])),
    %% a spec with a bare atom reads as proplists read it: plain calls as well
    ?assert(Plain([{landlock, [{read, ["/usr"]}, strict]}])).

strict_unenforceable(_Config) ->
    {ok, S} = gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}]),
    {ok, P} = inet:port(S),
    Spec = ?USR_TMP#{connect => [1]},
    Cmd = [?PY, "-c", ?TCP_PY, integer_to_list(P)],
    %% This kernel enforces TCP rules: P is refused.
    {ok, Enforced} = nook_stream:run(Cmd, nook_process, [{landlock, Spec#{strict => true}}]),
    ?assertMatch({<<"connect ", _/binary>>, <<>>, {exit_status, 0}}, nook_test_lib:events(Enforced)),
    {EnforcedOut, _, _} = nook_test_lib:events(Enforced),
    ?assertEqual(iolist_to_binary(io_lib:format("connect ~b 13~n", [P])), EnforcedOut),
    %% As on a kernel of ABI 3 (before TCP rules): strict refuses to start, naming what it
    %% cannot enforce; without strict the start goes on, the port unrestricted. Every start
    %% cold: a tree made ready before would have been restricted at the real ABI.
    Size = application:get_env(nook, pool_size, 2),
    application:set_env(nook, pool_size, 0),
    ok = nook_pool:stop_all(),
    persistent_term:put(?ABI_KEY, 3),
    try
        ?assertEqual({error, {landlock, {unenforceable, [ioctl_dev, connect]}}},
                     nook_stream:run(Cmd, nook_process, [{landlock, Spec#{strict => true}}])),
        {ok, Lax} = nook_stream:run(Cmd, nook_process, [{landlock, Spec}]),
        ?assertEqual({iolist_to_binary(io_lib:format("connect ~b ok~n", [P])), <<>>, {exit_status, 0}},
                     nook_test_lib:events(Lax))
    after
        application:set_env(nook, pool_size, Size),
        gen_tcp:close(S)
    end.

rootless_tightened(Config) ->
    case nook_test_lib:userns_or_skip(Config) of
        {skip, _} = Skip ->
            Skip;
        _ ->
            %% Paths inside the container; /bin and /lib are mounts of their own there.
            Dirs = ["/bin", "/lib", "/lib64", "/usr", "/sbin"],
            Spec = #{read => ["/tmp" | Dirs], exec => Dirs, write => ["/tmp"]},
            Cmd = "cat /etc/hostname 2>&1; echo x > /tmp/x && cat /tmp/x; echo y > /home/y; echo $?",
            {ok, Free} = nook_stream:run(Cmd, nook_rootless, []),
            ?assertEqual({<<"nook\nx\n0\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Free)),
            {ok, Events} = nook_stream:run(Cmd, nook_rootless, [{landlock, Spec}]),
            {Out, Err, {exit_status, 0}} = nook_test_lib:events(Events),
            ?assertMatch({match, _}, re:run(Out, "^cat: /etc/hostname: Permission denied\nx\n2\n$")),
            ?assertMatch({match, _}, re:run(Err, "/home/y: Permission denied"))
    end.

no_new_privs_needed(Config) ->
    %% {setuid, true} leaves no_new_privs off: an unprivileged task may not restrict itself;
    %% root may, holding CAP_SYS_ADMIN, which Landlock takes instead
    Run = nook_stream:run("cat /etc/hostname", nook_process, [{landlock, ?USR_TMP}, {setuid, true}]),
    case nook:getuid(?config(root, Config)) of
        0 -> ?assertMatch({<<>>, <<"cat: /etc/hostname: Permission denied\n">>, {exit_status, 1}},
                          nook_test_lib:events(element(2, Run)));
        _ -> ?assertEqual({error, {landlock, eperm}}, Run)
    end.

terminal(_Config) ->
    %% The task opens its terminal after Landlock: /dev/pts must be listed.
    ?assertEqual({error, {pty, eacces}},
                 nook_stream:run("tty", nook_process, [{pty, true}, {landlock, ?USR_TMP}])),
    Pts = ?USR_TMP#{read => ["/usr", "/tmp", "/dev/pts"], write => ["/tmp", "/dev/pts"]},
    {ok, Events} = nook_stream:run("tty", nook_process, [{pty, true}, {landlock, Pts}]),
    ?assertMatch({<<"/dev/pts/", _/binary>>, <<>>, {exit_status, 0}}, nook_test_lib:events(Events)).

%% ---- helpers ----

first_entry({ok, Names}) -> {ok, hd(lists:sort(Names -- [<<".">>, <<"..">>]))}.

%% The signalfd of Task's process: an fd nook uses itself.
signalfd(T) ->
    Dir = "/proc/" ++ integer_to_list(nook:getpid(T)) ++ "/fd/",
    {ok, Names} = file:list_dir(Dir),
    [Fd] = [list_to_integer(N) || N <- Names,
                                  file:read_link(Dir ++ N) =:= {ok, "anon_inode:[signalfd]"}],
    Fd.

%% Ports free now (bound and closed again).
free_ports(N) ->
    Socks = [begin {ok, S} = gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}]), S end || _ <- lists:seq(1, N)],
    Ports = [begin {ok, P} = inet:port(S), P end || S <- Socks],
    [gen_tcp:close(S) || S <- Socks],
    Ports.
