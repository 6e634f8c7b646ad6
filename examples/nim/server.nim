# The seed blog's improved ("改进实例") Nim server, as published.
# Only change: the port is taken from the first command-line argument when
# one is given (default 7003, as in the blog), so tests can use a free port.
# Like the original it serves clients forever; stop it with a signal.
# Build: nim c -d:release --hints:off --nimcache:DIR server.nim
import net, strutils
import os  # added for paramCount/paramStr (port argument)

var 
  serverSocket, clientSocket: Socket
  IPAddr = ""
  client_mes = ""
  server_mes = ""   #发送的数据
  server_mes_len: int
  client_mes_len: int
  
# added: the port from the command line
let port = if paramCount() >= 1: Port(parseInt(paramStr(1))) else: Port(7003)
  
  
#为服务器创建监听套接字
serverSocket = newSocket()
#初始化为客户服务的套接字
clientSocket = newSocket()

#绑定地址和端口， 第三个参数address默认为"",表示任何IP地址
serverSocket.bindAddr(port)

#创建一个连接队列，开始等待客户进行连接
serverSocket.listen(5)

while(true):
  echo "server waitting"
  #接受一个连接
  serverSocket.acceptAddr(clientSocket, IPAddr)
  echo "client from IP: ",IPAddr
  #serverSocket.accept(clientSocket)
  
  #信息传输
  #发送数据
  server_mes = "Hi, welcome!"
  server_mes_len = server_mes.len()
  #一个套接字缓冲数据最大长度4000字节，把数据的前4个字节设置为发送数据的长度
  case ($server_mes_len).len()   
  of 1:
    server_mes = "000" & $server_mes_len & server_mes
  of 2:
    server_mes = "00" & $server_mes_len & server_mes
  of 3:
    server_mes = "0" & $server_mes_len & server_mes
  else:
    server_mes = $server_mes_len & server_mes
  clientSocket.send(server_mes) 
  #接收数据  
  discard clientSocket.recv(client_mes, 4)
  client_mes_len = client_mes.parseInt()
  echo "message lenth: ", clientSocket.recv(client_mes, client_mes_len)
  echo "from client message: ",client_mes
  
  #关闭套接字
  clientSocket.close()
