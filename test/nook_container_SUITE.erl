%% SPDX-License-Identifier: ISC
%% @doc nook_container: a container made as root that gives root up before the program runs.
-module(nook_container_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, init_per_suite/1, end_per_suite/1]).
-export([runs_as_configured_ids/1, isolated_and_read_only/1, refuses_without_root/1]).

all() -> [runs_as_configured_ids, isolated_and_read_only, refuses_without_root].

init_per_suite(Config) ->
    {ok, Root} = nook:fork(),
    Euid = nook:geteuid(Root),
    ok = nook:stop(Root),
    Dir = filename:join(?config(priv_dir, Config), "root"),
    [{euid, Euid}, {cfg, [{path, Dir}]} | Config].

end_per_suite(_Config) ->
    ok.

needs_root(Config, Fun) ->
    case ?config(euid, Config) of
        0 -> Fun();
        Euid -> {skip, lists:flatten(io_lib:format("needs euid 0; the BEAM runs as ~b", [Euid]))}
    end.

stdout(Events) -> iolist_to_binary([B || {stdout, B} <- Events]).

runs_as_configured_ids(Config) ->
    needs_root(Config, fun() ->
        {ok, Ev} = nook_stream:run("id -u; id -g; id -G; cat /proc/self/status | grep ^CapEff",
                                   nook_container, [{uid, 1000}, {gid, 1001} | ?config(cfg, Config)]),
        ?assertEqual({exit_status, 0}, lists:last(Ev)),
        %% the ids are real ones here, no user namespace, and no capability is left
        ?assertMatch([<<"1000">>, <<"1001">>, <<"1001">>, <<"CapEff:\t0000000000000000">>],
                     binary:split(stdout(Ev), <<"\n">>, [global, trim]))
    end).

isolated_and_read_only(Config) ->
    needs_root(Config, fun() ->
        {ok, Ev} = nook_stream:run("hostname; echo $$; ip -o link | wc -l; touch /usr/x 2>/dev/null || echo ro",
                                   nook_container, ?config(cfg, Config)),
        ?assertEqual({exit_status, 0}, lists:last(Ev)),
        ?assertEqual([<<"nook">>, <<"2">>, <<"1">>, <<"ro">>],
                     binary:split(stdout(Ev), <<"\n">>, [global, trim]))
    end).

refuses_without_root(Config) ->
    case ?config(euid, Config) of
        0 -> {skip, "running as root: the refusal shows only unprivileged"};
        Euid -> ?assertEqual({error, {not_root, Euid}},
                             nook_stream:run("true", nook_container, ?config(cfg, Config)))
    end.
