%% SPDX-License-Identifier: ISC
%% @doc nook_rootless end to end, through nook_stream: what a program sees inside the
%% container (its ids, its hostname, its init, its processes, its mounts, its network), how
%% its input and output flow, how it ends, and that nothing of it is left afterwards.
%%
%% Every rootless case is in the group `unprivileged', which bin/test runs again as a user
%% with no privilege at all; the group `root' has what only root may do to the host.
%% Each case has a root directory of its own under priv_dir, which any user running the suite
%% can create. Programs are found by a marker in their environment; no verdict depends on
%% timing.
-module(nook_rootless_SUITE).

%% unprivileged: yes

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, groups/0, suite/0, init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
%% group unprivileged
-export([acceptance/1, echo/1, uid_default/1, uid_configured/1, hostname_default/1,
         hostname_configured/1, init_is_nook/1, ps_shows_only_container/1,
         root_ro_nosuid/1, usr_read_only/1, tmp_writable_and_limited/1, net_none/1,
         net_host/1, fstab_relative_bind/1, stdin_through_cat/1, stdin_1mib/1,
         exit_status/1, termsig/1, timeout_kills/1, timeout_ends_output/1, never_reads_stdin/1,
         send_timeout_reports_written/1, stalled_consumer/1, close_kills/1,
         owner_death_kills/1, sequential_200/1]).
%% group root
-export([userns_unavailable/1]).

%% The contract: gone within a second.
-define(GONE_MS, 1000).
%% How long a case waits for something that should happen at once; only a failure guard.
-define(GUARD_MS, 10000).
-define(MIB, (1 bsl 20)).
%% A PATH for configs that set the whole environment.
-define(PATH, "PATH=/bin:/usr/bin").

suite() -> [{timetrap, {seconds, 120}}].

all() ->
    [{group, unprivileged}, {group, root}].

%% Every case twice: with no pool (each start builds its tree) and with a tree prepared
%% ahead of each start (nook_pool): a checked-out container behaves as a fresh one.
groups() ->
    [{unprivileged, [], [{group, fresh}, {group, ready}]},
     {fresh, [], cases()},
     {ready, [], cases()},
     {root, [], [userns_unavailable]}].

cases() ->
      [acceptance, echo, uid_default, uid_configured, hostname_default, hostname_configured,
       init_is_nook, ps_shows_only_container, root_ro_nosuid, usr_read_only,
       tmp_writable_and_limited, net_none, net_host, fstab_relative_bind, stdin_through_cat,
       stdin_1mib, exit_status, termsig, timeout_kills, timeout_ends_output, never_reads_stdin,
       send_timeout_reports_written, stalled_consumer, close_kills, owner_death_kills,
       sequential_200].

init_per_group(root, Config) ->
    nook_test_lib:root_or_skip(Config);
init_per_group(fresh, Config) ->
    Size = application:get_env(nook, pool_size, 2),
    application:set_env(nook, pool_size, 0),
    [{pool_size, Size} | Config];
init_per_group(ready, Config) ->
    [{prepare, true} | Config];
init_per_group(unprivileged, Config) ->
    %% The kernel may refuse user namespaces here: say so, rather than fail every case.
    nook_test_lib:userns_or_skip(Config).

end_per_group(fresh, Config) ->
    application:set_env(nook, pool_size, ?config(pool_size, Config));
end_per_group(_Group, _Config) -> ok.

init_per_testcase(Case, Config) ->
    process_flag(trap_exit, true),
    %% A root of the case's own, created by whoever runs the suite.
    Root = nook_test_lib:case_root(Case, Config),
    [{path, Root}, {marker, nook_test_lib:marker()} | Config].

end_per_testcase(_Case, Config) ->
    ok = nook_pool:stop_all(),
    %% The containers' mount namespaces die with them: a mount under priv_dir seen from here
    %% is a leak.
    case mounts_under(?config(priv_dir, Config)) of
        [] -> ok;
        Leaked -> {fail, {mounts_left_on_host, Leaked}}
    end.

%% ---- what the program sees ----

acceptance(_Config) ->
    %% The default root, the default config.
    {ok, Events} = nook_stream:run("id -u; hostname", nook_rootless, []),
    ?assertEqual({<<"65534\nnook\n">>, <<>>, {exit_status, 0}}, nook_test_lib:events(Events)).

echo(Config) ->
    ?assertEqual({<<"hello world\n">>, <<>>, {exit_status, 0}},
                 run("echo hello world", Config, [])).

uid_default(Config) ->
    ?assertEqual({<<"65534\n65534\n">>, <<>>, {exit_status, 0}}, run("id -u; id -g", Config, [])).

uid_configured(Config) ->
    ?assertEqual({<<"1000\n1000\n">>, <<>>, {exit_status, 0}},
                 run("id -u; id -g", Config, [{uid, 1000}])),
    ?assertEqual({<<"1000\n2000\n">>, <<>>, {exit_status, 0}},
                 run("id -u; id -g", Config, [{uid, 1000}, {gid, 2000}])).

hostname_default(Config) ->
    ?assertEqual({<<"nook\n">>, <<>>, {exit_status, 0}}, run("hostname", Config, [])).

hostname_configured(Config) ->
    ?assertEqual({<<"box-1\n">>, <<>>, {exit_status, 0}},
                 run("hostname", Config, [{hostname, "box-1"}])),
    %% The host's name is untouched.
    {ok, Host} = file:read_file("/proc/sys/kernel/hostname"),
    ?assertNotEqual(<<"box-1">>, string:trim(Host)).

init_is_nook(Config) ->
    %% PID 1 of the container is nook's own init, started as priv/nook.
    {Cmdline, <<>>, {exit_status, 0}} = run("cat /proc/1/cmdline", Config, []),
    [Argv0 | _] = binary:split(Cmdline, <<0>>),
    ?assertEqual(<<0>>, binary:part(Cmdline, byte_size(Cmdline), -1)),
    ?assertEqual(list_to_binary(nook_port:progname()), Argv0).

ps_shows_only_container(Config) ->
    %% Its own PID namespace: its init, the shell and ps, nothing of the host.
    %% (priv/nook, or priv/nook-asan in the sanitizer run.)
    Init = list_to_binary(filename:basename(nook_port:progname())),
    ?assertEqual({<<Init/binary, "\nsh\nps\n">>, <<>>, {exit_status, 0}},
                 run("ps -e -o comm=", Config, [])).

root_ro_nosuid(Config) ->
    {Mountinfo, <<>>, {exit_status, 0}} = run("cat /proc/self/mountinfo", Config, []),
    %% mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS ...
    Roots = [Fields || Line <- binary:split(Mountinfo, <<"\n">>, [global, trim_all]),
                       Fields <- [binary:split(Line, <<" ">>, [global])],
                       lists:nth(5, Fields) =:= <<"/">>],
    ?assertMatch([_], Roots),
    [Fields] = Roots,
    Options = binary:split(lists:nth(6, Fields), <<",">>, [global]),
    ?assert(lists:member(<<"ro">>, Options)),
    ?assert(lists:member(<<"nosuid">>, Options)),
    ?assertNot(lists:member(<<"rw">>, Options)).

usr_read_only(Config) ->
    {<<>>, Err, {exit_status, N}} = run("touch /usr/x", Config, []),
    ?assertNotEqual(0, N),
    ?assertMatch({_, _}, binary:match(Err, <<"Read-only">>)),
    ?assertNot(filelib:is_file("/usr/x")).

tmp_writable_and_limited(Config) ->
    %% 1 MiB fits in /tmp...
    ?assertMatch({<<"1048576\n">>, _, {exit_status, 0}},
                 run("dd if=/dev/zero of=/tmp/small bs=1M count=1 && wc -c </tmp/small",
                     Config, [])),
    %% ...8 MiB does not.
    {<<>>, Err, {exit_status, N}} = run("dd if=/dev/zero of=/tmp/big bs=1M count=8", Config, []),
    ?assertNotEqual(0, N),
    ?assertMatch({_, _}, binary:match(Err, <<"No space left">>)).

net_none(Config) ->
    case host_ip() of
        false ->
            {skip, "no ip(8) on this host"};
        _ ->
            {Links, <<>>, {exit_status, 0}} = run("ip -o link", Config, []),
            ?assertMatch([_], lines(Links)),
            ?assertEqual([<<"lo">>], link_names(Links)),
            [Flags | _] = binary:split(hd(lines(Links)), <<">">>),
            [_, FlagList] = binary:split(Flags, <<"<">>),
            ?assert(lists:member(<<"UP">>, binary:split(FlagList, <<",">>, [global])))
    end.

net_host(Config) ->
    case host_ip() of
        false ->
            {skip, "no ip(8) on this host"};
        Ip ->
            Host = link_names(list_to_binary(os:cmd(Ip ++ " -o link"))),
            ?assertMatch([_, _ | _], Host),
            {Links, <<>>, {exit_status, 0}} = run("ip -o link", Config, [{net, host}]),
            ?assertEqual(Host, link_names(Links))
    end.

fstab_relative_bind(Config) ->
    %% A relative fstab entry is a directory under nook's priv dir, bound read-only.
    Unique = "fstab_" ++ integer_to_list(erlang:unique_integer([positive])) ++ "_"
        ++ os:getpid(),
    Source = filename:join(filename:dirname(nook_port:progname()), Unique),
    ok = file:make_dir(Source),
    try
        ok = file:write_file(filename:join(Source, "hello.txt"), <<"hello from priv\n">>),
        ok = file:make_dir(filename:join(?config(path, Config), Unique)),
        In = "/" ++ Unique,
        ?assertEqual({<<"hello from priv\n">>, <<>>, {exit_status, 0}},
                     run("cat " ++ In ++ "/hello.txt", Config, [{fstab, [Unique]}])),
        {<<>>, Err, {exit_status, N}} =
            run("touch " ++ In ++ "/x", Config, [{fstab, [Unique]}]),
        ?assertNotEqual(0, N),
        ?assertMatch({_, _}, binary:match(Err, <<"Read-only">>)),
        ?assertEqual({ok, ["hello.txt"]}, file:list_dir(Source)),
        %% Without the entry the directory is only the empty mount point.
        ?assertMatch({<<>>, _, {exit_status, 1}},
                     run("cat " ++ In ++ "/hello.txt", Config, []))
    after
        _ = file:delete(filename:join(Source, "hello.txt")),
        _ = file:del_dir(Source)
    end.

%% ---- input, output, ends ----

stdin_through_cat(Config) ->
    ?assertEqual({<<"hello">>, <<>>, {exit_status, 0}},
                 run("cat", Config, [{stdin, <<"hello">>}])).

stdin_1mib(Config) ->
    ?assertEqual({<<"1048576\n">>, <<>>, {exit_status, 0}},
                 run("wc -c", Config, [{stdin, binary:copy(<<"x">>, ?MIB)}])).

exit_status(Config) ->
    ?assertEqual({ok, [{exit_status, 3}]},
                 nook_stream:run("exit 3", nook_rootless, cfg(Config, []))).

termsig(Config) ->
    ?assertEqual({ok, [{termsig, sigkill}]},
                 nook_stream:run("kill -9 $$", nook_rootless, cfg(Config, []))).

timeout_kills(Config) ->
    Marker = ?config(marker, Config),
    T0 = erlang:monotonic_time(millisecond),
    ?assertEqual({ok, [{timeout, 300}]},
                 nook_stream:run("sleep 100", nook_rootless,
                                 cfg(Config, [{timeout, 300}, {environ, [Marker, ?PATH]}]))),
    %% a timer never fires early
    ?assert(erlang:monotonic_time(millisecond) - T0 >= 300),
    gone(Marker).

timeout_ends_output(Config) ->
    %% A container that talks until it is killed: its output first, {timeout, Ms} last and
    %% nothing after it, however the kill races the output on its way. (A run killed before
    %% it said anything proves nothing, but is no failure on a loaded machine.)
    Marker = ?config(marker, Config),
    Cfg = cfg(Config, [{timeout, 300}, {environ, [Marker, ?PATH]}]),
    Runs = [begin
                {ok, Events} = nook_stream:run("yes", nook_rootless, Cfg),
                {Out, <<>>, End} = nook_test_lib:events(Events),
                {End, byte_size(Out)}
            end || _ <- lists:seq(1, 5)],
    ct:log("ends and output sizes: ~p", [Runs]),
    ?assertEqual([{timeout, 300}], lists:usort([End || {End, _} <- Runs])),
    ?assertNotEqual([], [Size || {_, Size} <- Runs, Size > 0]),
    gone(Marker).

never_reads_stdin(Config) ->
    %% 1 MiB does not fit in the pipe; the program exits without reading it.
    ?assertEqual({<<"done\n">>, <<>>, {exit_status, 0}},
                 run("sleep 0.2; echo done", Config, [{stdin, binary:copy(<<"x">>, ?MIB)}])).

send_timeout_reports_written(Config) ->
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open("sleep 100", nook_rootless,
                               cfg(Config, [{environ, [Marker, ?PATH]}])),
    Size = 16 * ?MIB,
    Result = nook_stream:send(S, binary:copy(<<"x">>, Size), 1000),
    ct:log("send: ~p", [Result]),
    ?assertMatch({error, {timeout, _}}, Result),
    {error, {timeout, Written}} = Result,
    ?assert(Written > 0),
    ?assert(Written < Size),
    ok = nook_stream:close(S),
    gone(Marker).

stalled_consumer(Config) ->
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open("yes", nook_rootless, cfg(Config, [{environ, [Marker, ?PATH]}])),
    ?assertMatch({ok, [{stdout, <<"y\n", _/binary>>} | _]}, nook_stream:recv(S, ?GUARD_MS)),
    Before = erlang:memory(total),
    %% The scenario: a consumer that stops asking while the program writes as fast as it can.
    timer:sleep(2000),
    Grown = erlang:memory(total) - Before,
    [{memory, Mem}, {message_queue_len, Queue}] =
        erlang:process_info(S, [memory, message_queue_len]),
    ct:log("stream process: ~b bytes, ~b messages queued; the BEAM grew by ~b bytes",
           [Mem, Queue, Grown]),
    ?assert(Mem < 4 * ?MIB),
    ?assert(Grown < 16 * ?MIB),
    %% The stream still flows.
    {ok, Events} = nook_stream:recv(S, ?GUARD_MS),
    ?assertMatch([_ | _], Events),
    ?assertEqual([], [E || E <- Events, element(1, E) =/= stdout]),
    ok = nook_stream:close(S),
    gone(Marker).

%% ---- nothing survives ----

close_kills(Config) ->
    Marker = ?config(marker, Config),
    {ok, S} = nook_stream:open("sleep 1000", nook_rootless,
                               cfg(Config, [{environ, [Marker, ?PATH]}])),
    {ok, _} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
    ok = nook_stream:close(S),
    ?assertNot(is_process_alive(S)),
    gone(Marker).

owner_death_kills(Config) ->
    Marker = ?config(marker, Config),
    Self = self(),
    Owner = spawn(fun() ->
                          {ok, S} = nook_stream:open("sleep 1000", nook_rootless,
                                                     cfg(Config, [{environ, [Marker, ?PATH]}])),
                          Self ! {stream, S},
                          receive exit -> ok end
                  end),
    S = receive {stream, Stream} -> Stream after ?GUARD_MS -> ct:fail(no_stream) end,
    {ok, _} = nook_test_lib:await_marked(Marker, ?GUARD_MS),
    Ref = monitor(process, S),
    Owner ! exit,
    receive {'DOWN', Ref, process, S, _} -> ok after ?GUARD_MS -> ct:fail(stream_alive) end,
    gone(Marker).

sequential_200(Config) ->
    Marker = ?config(marker, Config),
    Cfg = cfg(Config, [{environ, [Marker, ?PATH]}]),
    ok = nook_pool:stop_all(),
    Before = footprint(),
    Results = [nook_stream:run("true", nook_rootless, Cfg) || _ <- lists:seq(1, 200)],
    ?assertEqual([], [R || R <- Results, R =/= {ok, [{exit_status, 0}]}]),
    %% run/3 answers before the last tree is down; the pool keeps trees ready.
    ok = nook_pool:stop_all(),
    ?assertEqual(Before, until_footprint(Before, ?GUARD_MS)),
    ?assertEqual([], nook_test_lib:marked_pids(Marker)).

%% ---- group root ----

userns_unavailable(Config) ->
    %% A host that refuses user namespaces: the error says which setting refuses them.
    File = "/proc/sys/user/max_user_namespaces",
    {ok, Saved} = file:read_file(File),
    case file:write_file(File, <<"0">>) of
        ok ->
            Result = try nook_stream:run("true", nook_rootless, cfg(Config, []))
                     after ok = file:write_file(File, Saved)
                     end,
            ?assertEqual({ok, Saved}, file:read_file(File)),
            ?assertEqual({error, {userns_unavailable, {sysctl, "user.max_user_namespaces", 0}}},
                         Result);
        {error, Errno} ->
            %% The kernel lets only CAP_SYS_RESOURCE in the host's user namespace write it.
            {skip, lists:flatten(io_lib:format("cannot write ~s here (~p); CAP_SYS_RESOURCE "
                                               "in the BEAM's effective set: ~p",
                                               [File, Errno, has_cap(24)]))}
    end.

%% ---- helpers ----

%% The config of a start; in the group `ready', a tree is made ready for it first.
cfg(Config, Extra) ->
    Cfg = Extra ++ [{path, ?config(path, Config)}],
    case ?config(prepare, Config) of
        true ->
            {ok, _, ForTree} = nook_options:split(nook_stream:options(), Cfg),
            ok = nook:prepare(nook_rootless, ForTree, 1);
        _ ->
            ok
    end,
    Cfg.

%% Run Cmd in a container: {Stdout, Stderr, End}.
run(Cmd, Config, Extra) ->
    {ok, Events} = nook_stream:run(Cmd, nook_rootless, cfg(Config, Extra)),
    nook_test_lib:events(Events).

gone(Marker) ->
    ?assertEqual(ok, nook_test_lib:await_gone([], Marker, ?GONE_MS)).

until_footprint(Want, Ms) ->
    case footprint() of
        Want -> Want;
        Other when Ms =< 0 -> Other;
        _ -> timer:sleep(20), until_footprint(Want, Ms - 20)
    end.

%% What a container could leave behind in the BEAM: open fds and mounts.
footprint() ->
    {ok, Fds} = file:list_dir("/proc/self/fd"),
    {ok, Mountinfo} = file:read_file("/proc/self/mountinfo"),
    #{fds => length(Fds), mounts => length(lines(Mountinfo))}.

lines(Bin) -> binary:split(Bin, <<"\n">>, [global, trim_all]).

%% The interface names of `ip -o link': "N: NAME[@PEER]: <FLAGS> ...".
link_names(Out) ->
    lists:sort([hd(binary:split(Name, <<"@">>))
                || Line <- lines(Out), [_, Name | _] <- [binary:split(Line, <<": ">>, [global])]]).

%% Whether capability number Cap is in this process's effective set.
has_cap(Cap) ->
    {ok, Status} = file:read_file("/proc/self/status"),
    {match, [Hex]} = re:run(Status, "CapEff:\\s*([0-9a-f]+)", [{capture, all_but_first, list}]),
    list_to_integer(Hex, 16) band (1 bsl Cap) =/= 0.

host_ip() ->
    os:find_executable("ip", "/usr/sbin:/sbin:/usr/bin:/bin").

mounts_under(Dir) ->
    {ok, Mountinfo} = file:read_file("/proc/self/mountinfo"),
    Prefix = list_to_binary(Dir),
    [binary_to_list(Point) || Line <- lines(Mountinfo),
                              [_, _, _, _, Point | _] <- [binary:split(Line, <<" ">>, [global])],
                              binary:longest_common_prefix([Point, Prefix]) =:= byte_size(Prefix)].
