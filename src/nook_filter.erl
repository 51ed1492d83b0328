%% SPDX-License-Identifier: ISC
%% @doc Call filters as the bitmaps priv/nook takes: bit N%8 of byte N div 8 for call id N.
-module(nook_filter).

-export([bitmap/1, expand/1]).

%% @doc The calls to refuse for a filter spec, as a bitmap; `<<>>' for `[]' (no change).
-spec bitmap(nook:filter_spec()) -> binary().
bitmap([]) ->
    <<>>;
bitmap({deny, Calls}) when is_list(Calls) ->
    encode(ids(Calls));
bitmap({allow, Calls}) when is_list(Calls) ->
    Allowed = ids(expand(Calls)),
    encode([Id || {Name, _} <- nook_calls:all(), Id <- [nook_calls:id(Name)],
                  not lists:member(Id, Allowed)]);
bitmap(Calls) when is_list(Calls) ->
    bitmap({deny, Calls});
bitmap(_) ->
    erlang:error(badarg).

%% @doc What allowing a call takes: a process that may fork must also be able to list and
%% close its children, one that may exec must be able to check it has none.
-spec expand([atom()]) -> [atom()].
expand(Calls) ->
    lists:usort(lists:flatmap(fun(fork) -> [cpid, fork, close];
                                 (clone) -> [cpid, clone, close];
                                 (execve) -> [cpid, execve];
                                 (execvp) -> [cpid, execvp];
                                 (Call) -> [Call]
                              end, Calls)).

ids(Calls) when is_list(Calls) ->
    [case nook_calls:id(C) of
         undefined -> erlang:error(badarg, [Calls]);
         Id -> Id
     end || C <- Calls];
ids(_) ->
    erlang:error(badarg).

encode([]) ->
    <<>>;
encode(Ids) ->
    Bytes = lists:max(Ids) div 8 + 1,
    << <<(byte_bits(B, Ids))>> || B <- lists:seq(0, Bytes - 1) >>.

byte_bits(B, Ids) ->
    lists:foldl(fun(Id, Acc) when Id div 8 =:= B -> Acc bor (1 bsl (Id rem 8));
                   (_, Acc) -> Acc
                end, 0, Ids).
