%% SPDX-License-Identifier: ISC
%% @doc What the process that opened a stream on another node knows of the link it came
%% over: once that connection is gone the stream has ended on its node (it watches its
%% owner), even if a new connection to the node has replaced the old one since. recv/2
%% tells the loss once, as an event; then it is eof.
%%
%% Kept in the opening process's dictionary, one entry per open remote stream, until
%% nook_stream:close/1,2.
-module(nook_link).

-export([opened/1, check/1, tell/1, forget/1]).

-define(KEY(S), {?MODULE, S}).

%% @doc Remember the connection a stream on another node was opened over.
-spec opened(pid()) -> ok.
opened(S) when node(S) =:= node() ->
    ok;
opened(S) ->
    _ = put(?KEY(S), {link, connection(node(S))}),
    ok.

%% @doc Whether the stream's link is as it was opened (`up', also for a stream this process
%% did not open: a call finds out) or lost.
-spec check(pid()) -> up | lost.
check(S) ->
    case get(?KEY(S)) of
        undefined -> up;
        {link, Id} -> case connection(node(S)) of Id -> up; _ -> lost end;
        told -> lost
    end.

%% @doc True the first time the loss of the stream's link is to be told.
-spec tell(pid()) -> boolean().
tell(S) -> put(?KEY(S), told) =/= told.

%% @doc Forget the stream (it is being closed): how its link stood.
-spec forget(pid()) -> up | lost.
forget(S) ->
    State = check(S),
    _ = erase(?KEY(S)),
    State.

connection(Node) ->
    case lists:keyfind(Node, 1, erlang:nodes(connected, #{connection_id => true})) of
        {Node, #{connection_id := Id}} -> Id;
        false -> none
    end.
