%% SPDX-License-Identifier: ISC
%% @doc Tasks across Erlang distribution: an owner on one node drives tasks on another.
-module(nook_dist_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, init_per_suite/1, end_per_suite/1]).
-export([remote_owner_drives_tasks/1]).

all() -> [remote_owner_drives_tasks].

init_per_suite(Config) ->
    case node() of
        nonode@nohost ->
            %% Distribution needs epmd; a node started with -sname would have started it.
            _ = os:cmd(filename:join([code:root_dir(), "bin", "epmd"]) ++ " -daemon"),
            case net_kernel:start([list_to_atom("nook_ct_" ++ os:getpid()), shortnames]) of
                {ok, _} -> [{started_dist, true} | Config];
                {error, Reason} -> {skip, lists:flatten(io_lib:format("no distribution: ~0p", [Reason]))}
            end;
        _ ->
            Config
    end.

end_per_suite(Config) ->
    case proplists:get_value(started_dist, Config) of
        true -> net_kernel:stop();
        _ -> ok
    end.

remote_owner_drives_tasks(_Config) ->
    Paths = [filename:dirname(code:which(M)) || M <- [nook, ?MODULE]],
    {ok, Peer, Node} = peer:start_link(#{name => peer:random_name(),
                                         args => lists:append([["-pa", P] || P <- Paths])}),
    try
        {ok, Root} = nook:fork(),
        Self = self(),
        %% A process on the other node forks a child of our root and owns it.
        Remote = spawn(Node, fun() ->
                                     {ok, C} = nook:fork(Root),
                                     Pid = nook:getpid(C),
                                     ok = nook:execvp(C, ["/bin/echo", "from afar"]),
                                     Out = receive {stdout, C, B} -> B after 5000 -> timeout end,
                                     Exit = receive {exit_status, C, N} -> N after 5000 -> timeout end,
                                     Self ! {remote, node(), Pid, Out, Exit}
                             end),
        ?assert(is_pid(Remote)),
        receive
            {remote, N, Pid, Out, Exit} ->
                ?assertEqual(Node, N),
                ?assert(is_integer(Pid)),
                ?assertEqual(<<"from afar\n">>, Out),
                ?assertEqual(0, Exit)
        after 10000 ->
            ct:fail(no_answer_from_remote_owner)
        end,
        ok = nook:stop(Root)
    after
        peer:stop(Peer)
    end.
